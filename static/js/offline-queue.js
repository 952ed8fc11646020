// The queue's one way of sending a log, for the page (static/js/offline.js) and the service
// worker's Background Sync (static/js/offline-sync.js) alike. See docs/offline.md.
//
// A log leaves the phone only when the server says it is stored (201, or 200 for one it had
// already, by its client_id); a refused one (422, 404) waits for her in "needs your attention";
// a signed-out phone (a redirect to sign in, or a 403 for a stale token) keeps it until she signs
// in again; no answer keeps it.
(function (scope) {
  "use strict";

  var SYNC_TAG = "alongside-send";

  function open() {
    return scope.idb.openDB("alongside", 1, {
      upgrade: function (db) {
        var queue = db.createObjectStore("queue", { keyPath: "client_id" });
        queue.createIndex("user", "user");
        db.createObjectStore("drafts", { keyPath: ["user", "pair"] });
        db.createObjectStore("people", { keyPath: "user" });
        db.createObjectStore("meta");
      },
    });
  }

  async function queueOf(db, user) {
    var items = user ? await db.getAllFromIndex("queue", "user", user) : [];
    return items.sort(function (a, b) { return a.created_at - b.created_at; });
  }

  async function waiting(db, user) {
    return (await queueOf(db, user)).filter(function (item) { return item.status !== "attention"; });
  }

  async function sendOne(item, token, logUrl) {
    var body = new URLSearchParams(item.fields);
    body.set("client_id", item.client_id);
    var response;
    try {
      response = await fetch(logUrl.replace("/0/", "/" + item.pair + "/"), {
        method: "POST",
        body: body,
        headers: { Accept: "application/json", "X-CSRFToken": token },
        redirect: "manual",
        credentials: "same-origin",
      });
    } catch (error) {
      return "offline";
    }
    if (response.type === "opaqueredirect" || response.status === 403) return "signin";
    if (response.status === 201 || response.status === 200) return "stored";
    if (response.status === 422 || response.status === 404) {
      var answer = {};
      try {
        answer = await response.json();
      } catch (error) {
        answer = {};
      }
      return { errors: answer.errors || { __all__: ["The log couldn't be saved."] }, status: response.status };
    }
    return "offline"; // a server error: try again later
  }

  // Sends her waiting logs, oldest first. `auth` is {token}, or {signedOut}, {offline} or
  // {otherUser} (someone else is signed in: her logs are never sent in another's session).
  async function send(db, user, auth, logUrl) {
    var items = await waiting(db, user);
    var outcome = { sent: 0, signin: !!auth.signedOut, offline: !!(auth.offline || auth.otherUser) };
    if (!items.length) return outcome;
    if (auth.token) {
      for (var i = 0; i < items.length; i++) {
        var item = items[i];
        var result = await sendOne(item, auth.token, logUrl);
        if (result === "stored") {
          await db.delete("queue", item.client_id);
          outcome.sent += 1;
        } else if (result === "signin") {
          outcome.signin = true;
          break;
        } else if (result === "offline") {
          outcome.offline = true;
          break;
        } else {
          item.status = "attention";
          item.errors = result.errors;
          item.refused = result.status;
          await db.put("queue", item);
        }
      }
    }
    var left = await waiting(db, user);
    for (var j = 0; j < left.length; j++) {
      var status = outcome.signin ? "signin" : "waiting";
      if (left[j].status !== status) {
        left[j].status = status;
        await db.put("queue", left[j]);
      }
    }
    return outcome;
  }

  // One send at a time, across the page's tabs and the worker: the server stores a log once
  // whatever happens, but two sending the same queue would only waste her data allowance.
  function locked(run) {
    var locks = scope.navigator && scope.navigator.locks;
    return locks ? locks.request(SYNC_TAG, run) : run();
  }

  // What her phone keeps to draw the shell (names, need areas, choices) and a CSRF token, from
  // offline-data.json: {data}, or {signedOut} or {offline} when it can't be had. The page and the
  // worker's Background Sync both ask for it.
  async function fetchOfflineData(url) {
    var response;
    try {
      response = await fetch(url, {
        headers: { Accept: "application/json" },
        redirect: "manual",
        credentials: "same-origin",
      });
    } catch (error) {
      return { offline: true };
    }
    if (response.type === "opaqueredirect" || response.status === 403) return { signedOut: true };
    if (!response.ok) return { offline: true };
    return { data: await response.json() };
  }

  scope.AlongsideQueue = {
    SYNC_TAG: SYNC_TAG,
    open: open,
    queueOf: queueOf,
    waiting: waiting,
    send: send,
    locked: locked,
    fetchOfflineData: fetchOfflineData,
  };
})(self);
