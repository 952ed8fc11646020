// Background Sync, where the browser has it (Chrome on Android): her waiting logs are sent when
// the signal returns even if none of her pages is open. The page sends them too (on opening, on
// `online`, on coming back to it, "Send now"), which is all iOS Safari does. Loaded by the service
// worker (scripts/build_sw.mjs) after idb and static/js/offline-queue.js.
(function () {
  "use strict";

  var Queue = self.AlongsideQueue;
  // The worker is served at /mentor/sw.js, so its scope is her pages' root.
  var scopeUrl = self.registration.scope;

  async function tokenFor(user) {
    var got = await Queue.fetchOfflineData(scopeUrl + "offline-data.json");
    if (!got.data) return got;
    return got.data.user === user ? { token: got.data.csrf_token } : { otherUser: true };
  }

  async function sendFromWorker() {
    var db = await Queue.open();
    var user = await db.get("meta", "current");
    if (!user || !(await Queue.waiting(db, user)).length) return;
    var outcome = await Queue.locked(async function () {
      return Queue.send(db, user, await tokenFor(user), scopeUrl + "pairs/0/sessions/new/");
    });
    var pages = await self.clients.matchAll({ type: "window" });
    pages.forEach(function (page) { page.postMessage("alongside-queue-changed"); });
    // Still no signal: failing tells the browser to try again later.
    if (outcome.offline) throw new Error("no signal yet");
  }

  self.addEventListener("sync", function (event) {
    if (event.tag === Queue.SYNC_TAG) event.waitUntil(sendFromWorker());
  });
})();
