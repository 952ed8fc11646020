// The mentor's pages with no signal: her logs are kept on the phone until the server has them.
//
// A log is saved to IndexedDB first (with the client_id the server knows it by), then sent. It
// leaves the phone only when the server says it is stored (201, or 200 for one it had already):
// a refused log waits in "needs your attention", editable; a signed-out phone keeps it until she
// signs in again; a network error keeps it. Nothing is ever dropped without her say-so.
//
// Everything is kept per signed-in user: another person signing in on the same phone neither
// sees, sends nor deletes her logs. The phone keeps the minimum: her mentees' chosen names and
// pair ids, the form's choice lists, and her own unsent logs and drafts.
(function () {
  "use strict";

  var script = document.getElementById("offline-script");
  if (!script || !window.idb || !window.indexedDB || !window.AlongsideQueue) return;
  var Queue = window.AlongsideQueue;
  var cfg = script.dataset;
  var pageUser = cfg.user ? Number(cfg.user) : null;
  var isShell = cfg.shell === location.pathname || document.getElementById("offline-shell") !== null;
  // Her names and choices are fetched again when the phone's copy is older than this.
  var DATA_FRESH_FOR = 12 * 60 * 60 * 1000;
  var FLASH = "alongside-offline-flash";

  var dbReady = Queue.open();

  // --- small helpers ---
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") node.textContent = attrs[key];
      else if (key === "className") node.className = attrs[key];
      else node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) {
      if (child) node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function plural(n, word) {
    return n + " " + word + (n === 1 ? "" : "s");
  }

  function ago(since) {
    var minutes = Math.floor((Date.now() - since) / 60000);
    if (minutes < 1) return "less than a minute";
    if (minutes < 60) return plural(minutes, "minute");
    var hours = Math.floor(minutes / 60);
    if (hours < 48) return plural(hours, "hour");
    return plural(Math.floor(hours / 24), "day");
  }

  function newClientId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    // Older phones: a version 4 UUID from the same random source.
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.from(bytes, function (b) { return b.toString(16).padStart(2, "0"); }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  function logUrl(pair) {
    return cfg.logUrl.replace("/0/", "/" + pair + "/");
  }

  function pairFromPath() {
    var found = /\/pairs\/(\d+)\/sessions\/new\/$/.exec(location.pathname);
    return found ? Number(found[1]) : null;
  }

  // --- who is signed in on this phone ---
  async function currentUser() {
    var db = await dbReady;
    if (pageUser) {
      await db.put("meta", pageUser, "current");
      return pageUser;
    }
    return (await db.get("meta", "current")) || null;
  }

  async function setCurrentUser(user) {
    var db = await dbReady;
    await db.put("meta", user, "current");
  }

  // What her phone keeps to draw the shell: names, need areas, choices. Also where the shell
  // (whose HTML has no token) gets a CSRF token. {signedOut} or {offline} when it can't.
  async function fetchData() {
    var got = await Queue.fetchOfflineData(cfg.data);
    if (!got.data) return got;
    var data = got.data;
    var db = await dbReady;
    await db.put("people", {
      user: data.user,
      pairs: data.pairs,
      need_areas: data.need_areas,
      choices: data.choices,
      form: data.form,
      saved_at: Date.now(),
    });
    await setCurrentUser(data.user);
    return data;
  }

  async function peopleOf(user) {
    var db = await dbReady;
    return user ? (await db.get("people", user)) || null : null;
  }

  // On her real home the names are on the page already: keep them without another request.
  // Says whether a pair is new to the phone (its need areas are fetched then).
  async function keepNamesFromHome(user) {
    var cards = document.querySelectorAll(".mentee-card[data-pair-id][data-name]");
    if (!user || location.pathname !== cfg.scope) return false;
    var db = await dbReady;
    var known = (await db.get("people", user)) || { user: user, pairs: [], need_areas: {}, choices: null, saved_at: 0 };
    var byPair = {};
    known.pairs.forEach(function (p) { byPair[p.pair] = p; });
    known.pairs = Array.from(cards, function (card) {
      var pair = Number(card.dataset.pairId);
      return { pair: pair, name: card.dataset.name, organisation: (byPair[pair] || {}).organisation };
    });
    await db.put("people", known);
    return known.pairs.some(function (p) { return p.organisation === undefined; });
  }

  // --- the queue ---
  async function queueOf(user) {
    return Queue.queueOf(await dbReady, user);
  }

  async function othersWaiting(user) {
    var db = await dbReady;
    var all = await db.getAll("queue");
    return all.filter(function (item) { return item.user !== user; }).length;
  }

  async function askToPersist() {
    if (navigator.storage && navigator.storage.persist) {
      try {
        if (!(await navigator.storage.persisted())) await navigator.storage.persist();
      } catch (error) {
        // Refused or unsupported: the queue still works, the browser may just evict it under pressure.
      }
    }
  }

  async function saveLog(user, pair, name, fields, clientId) {
    var db = await dbReady;
    var old = await db.get("queue", clientId);
    await db.put("queue", {
      client_id: clientId,
      user: user,
      pair: pair,
      name: name || (old && old.name) || "",
      fields: fields,
      created_at: old ? old.created_at : Date.now(),
      status: "waiting",
      errors: null,
    });
    // Once it is in the queue the queue holds every word: the draft's job is done.
    await db.delete("drafts", [user, pair]);
    askToPersist();
  }

  function localToday() {
    var now = new Date();
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  }

  // The server's own words for the answers a phone can check by itself: the length, and the date
  // (not in the future; not before the pair started, where the page says when that was).
  function checkLog(form) {
    var errors = {};
    var minutes = form.elements.duration_minutes && form.elements.duration_minutes.value.trim();
    if (!/^\d+$/.test(minutes || "") || Number(minutes) < 1 || Number(minutes) > 720) {
      errors.duration_minutes = ["How long was it? Between 1 minute and 12 hours, in minutes."];
    }
    var day = form.elements.held_on && form.elements.held_on.value;
    if (!day) errors.held_on = ["Say when you met."];
    else if (day > localToday()) errors.held_on = ["This date can't be in the future."];
    else if (form.dataset.started && day < form.dataset.started) {
      errors.held_on = ["The date is before the pair started (" + form.dataset.started + ")."];
    }
    return Object.keys(errors).length ? errors : null;
  }

  async function csrfToken(user, fresh) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (!fresh && pageUser && pageUser === user && meta && meta.content) return { token: meta.content, fromPage: true };
    var data = await fetchData();
    if (data.signedOut) return { signedOut: true };
    if (data.offline) return { offline: true };
    if (data.user !== user) return { otherUser: true };
    return { token: data.csrf_token };
  }

  async function sendQueueNow() {
    var user = await currentUser();
    var db = await dbReady;
    if (!(await Queue.waiting(db, user)).length) return { sent: 0 };
    var auth = await csrfToken(user);
    var outcome = await Queue.send(db, user, auth, cfg.logUrl);
    // A page open since before she signed in again (in another tab) holds a stale token: one more
    // try with a fresh one, before asking her to sign in.
    if (outcome.signin && auth.fromPage) outcome = await Queue.send(db, user, await csrfToken(user, true), cfg.logUrl);
    // Where the browser can (Background Sync), it sends them when the signal returns, pages open or not.
    if (outcome.offline && window.SyncManager && navigator.serviceWorker) {
      navigator.serviceWorker.ready
        .then(function (registration) { return registration.sync.register(Queue.SYNC_TAG); })
        .catch(function () {});
    }
    return outcome;
  }

  // One send at a time (Queue.locked, across tabs and the worker). A send asked for while one runs
  // follows it (a log saved meanwhile isn't in the running one's list), once however often asked.
  var running = null;
  var following = null;

  function startSend() {
    var locked = Queue.locked(sendQueueNow);
    // A failed send (storage refused, say) keeps every log where it was; the next one tries again.
    return locked
      .catch(function () { return { sent: 0, failed: true }; })
      .finally(function () {
        running = null;
        render();
      });
  }

  function sendQueue() {
    if (following) return following;
    if (!running) {
      running = startSend();
      return running;
    }
    following = running.then(function () {
      following = null;
      running = startSend();
      return running;
    });
    return following;
  }

  // --- drafts ---
  function serialise(form) {
    return Array.from(new FormData(form)).filter(function (entry) {
      return entry[0] !== "csrfmiddlewaretoken" && entry[0] !== "client_id" && typeof entry[1] === "string";
    });
  }

  function fill(form, fields) {
    var byName = {};
    fields.forEach(function (entry) {
      (byName[entry[0]] = byName[entry[0]] || []).push(entry[1]);
    });
    Array.from(form.elements).forEach(function (input) {
      if (!input.name || input.name === "csrfmiddlewaretoken" || input.name === "client_id") return;
      var values = byName[input.name];
      if (input.type === "checkbox") input.checked = !!values && values.indexOf(input.value) !== -1;
      else if (input.type === "radio") { if (values) input.checked = values.indexOf(input.value) !== -1; }
      else if (input.type === "hidden" || input.type === "submit" || input.type === "button") return;
      else if (values) input.value = values[0];
    });
  }

  // --- the page's own panel: what is waiting, what needs her, sign in again ---
  var panel = null;
  var editing = null; // the client_id of a refused log open in this page's form

  function ensurePanel() {
    if (panel) return panel;
    var main = document.getElementById("main") || document.body;
    panel = el("section", { id: "offline-panel", className: "offline-panel mb-3", "aria-label": "Logs on this phone" });
    var anchor = main.querySelector("h1");
    if (anchor) anchor.after(panel);
    else main.prepend(panel);
    return panel;
  }

  function labelFor(form, field) {
    if (field === "__all__") return "";
    var input = form && form.querySelector('[name="' + field + '"]');
    if (!input) return field.replace(/_/g, " ") + ": ";
    var label = input.id && form.querySelector('label[for="' + input.id + '"]');
    var group = input.closest("fieldset");
    var text = (group && group.querySelector("legend")) || label;
    return text ? text.textContent.trim() + ": " : "";
  }

  function errorList(errors, form) {
    var list = el("ul", { className: "mb-0" });
    Object.keys(errors || {}).forEach(function (field) {
      (errors[field] || []).forEach(function (message) {
        list.appendChild(el("li", { text: labelFor(form, field) + message }));
      });
    });
    return list;
  }

  // Her form with the server's refusal: each message beside its answer, as the server's own form
  // shows them, and what belongs to no one answer at the top.
  function showErrors(form, notice, errors, intro) {
    form.querySelectorAll("[data-offline-error]").forEach(function (node) { node.remove(); });
    form.querySelectorAll("[data-offline-invalid]").forEach(function (node) {
      node.classList.remove("is-invalid");
      node.removeAttribute("aria-invalid");
      node.removeAttribute("data-offline-invalid");
    });
    var general = {};
    Object.keys(errors || {}).forEach(function (field) {
      var control = field === "__all__" ? null : form.querySelector('[name="' + field + '"]');
      if (!control) {
        general[field] = errors[field];
        return;
      }
      var group = control.closest("fieldset");
      var box = group || control.parentElement;
      var id = "id_" + field + "-offline-error";
      box.appendChild(el("div", { className: "invalid-feedback d-block", id: id, "data-offline-error": "", text: errors[field].join(" ") }));
      var target = group || control;
      target.setAttribute("data-offline-invalid", "");
      target.setAttribute("aria-invalid", "true");
      target.setAttribute("aria-describedby", ((target.getAttribute("aria-describedby") || "") + " " + id).trim());
      if (!group) control.classList.add("is-invalid");
      var details = control.closest("details");
      if (details) details.open = true;
    });
    notice.replaceChildren(
      el("div", { className: "alert alert-danger", role: "alert" }, [
        el("p", { className: "mb-0", text: intro }),
        Object.keys(general).length ? errorList(general, form) : null,
      ])
    );
  }

  function heldOn(item) {
    var found = item.fields.filter(function (entry) { return entry[0] === "held_on"; })[0];
    return found ? found[1] : "";
  }

  // What the last page said (saved, or kept on the phone): shown once, for as long as this page is open.
  var flash = sessionStorage.getItem(FLASH);
  sessionStorage.removeItem(FLASH);
  var rendering = Promise.resolve();

  function render() {
    rendering = rendering.then(renderNow, renderNow);
    return rendering;
  }

  async function renderNow() {
    var user = await currentUser();
    var items = await queueOf(user);
    var host = ensurePanel();
    host.replaceChildren();
    if (flash) host.appendChild(el("div", { className: "alert alert-success", role: "status", text: flash }));
    var waiting = items.filter(function (item) { return item.status !== "attention"; });
    // The log open in this page's form shows its messages there, not twice.
    var attention = items.filter(function (item) { return item.status === "attention" && item.client_id !== editing; });
    var summary = el("p", { id: "offline-pending", className: "mb-2", role: "status", "aria-live": "polite" });
    if (waiting.length) {
      summary.textContent =
        plural(waiting.length, "log") + " waiting to send, oldest " + ago(waiting[0].created_at) + ".";
    } else if (isShell) {
      summary.textContent = "Nothing waiting to send.";
    }
    var box = el("div", { className: waiting.length ? "alert alert-warning" : "" }, [summary]);
    if (waiting.some(function (item) { return item.status === "signin"; })) {
      var next = encodeURIComponent(cfg.scope);
      box.appendChild(
        el("p", { id: "offline-signin", className: "mb-2" }, [
          "You were signed out. ",
          el("a", { href: cfg.login + "?next=" + next, text: "Sign in again to send" }),
          " them: they stay on this phone until then.",
        ])
      );
    }
    if (waiting.length) {
      var button = el("button", { type: "button", className: "btn btn-primary", id: "offline-send", text: "Send now" });
      button.addEventListener("click", function () {
        button.disabled = true;
        sendQueue();
      });
      box.appendChild(button);
    }
    if (summary.textContent) host.appendChild(box);
    if (attention.length) {
      var section = el("section", { id: "offline-attention", className: "alert alert-danger", "aria-labelledby": "offline-attention-heading" }, [
        el("h2", { id: "offline-attention-heading", className: "h5", text: "Needs your attention" }),
        el("p", { text: "The server couldn't save " + (attention.length === 1 ? "this log" : "these logs") + ". Nothing is lost: fix and send, or delete." }),
      ]);
      var list = el("ul", { className: "list-unstyled mb-0" });
      attention.forEach(function (item) {
        var fix = item.refused === 404
          ? null
          : el("a", { className: "btn btn-sm btn-primary me-2", href: logUrl(item.pair) + "?fix=" + item.client_id, text: "Fix and send" });
        var remove = el("button", { type: "button", className: "btn btn-sm btn-outline-danger", text: "Delete" });
        remove.addEventListener("click", function () {
          confirmDialog(
            "Delete this log?",
            "The log for " + (item.name || "your mentee") + (heldOn(item) ? " (" + heldOn(item) + ")" : "") + " will be gone from this phone, never sent.",
            "Delete it",
            "Keep it"
          ).then(async function (yes) {
            if (!yes) return;
            var db = await dbReady;
            await db.delete("queue", item.client_id);
            render();
          });
        });
        list.appendChild(
          el("li", { className: "mb-2 offline-refused", "data-client-id": item.client_id }, [
            el("p", { className: "mb-1 fw-semibold", text: "Log for " + (item.name || "your mentee") + (heldOn(item) ? ", held " + heldOn(item) : "") }),
            errorList(item.errors),
            el("div", { className: "mt-1" }, [fix, remove]),
          ])
        );
      });
      section.appendChild(list);
      host.appendChild(section);
    }
  }

  // --- dialogs (sign out, delete): built here, no inline markup (CSP) ---
  function confirmDialog(title, text, yes, no, extra) {
    return new Promise(function (resolve) {
      var dialog = el("dialog", { className: "offline-dialog p-3", "aria-labelledby": "offline-dialog-title" });
      var buttons = el("div", { className: "d-flex flex-wrap gap-2 mt-3" });
      var done = function (answer) {
        dialog.close();
        dialog.remove();
        resolve(answer);
      };
      (extra || []).forEach(function (choice) {
        var b = el("button", { type: "button", className: "btn btn-primary", text: choice.label });
        b.addEventListener("click", function () { done(choice.value); });
        buttons.appendChild(b);
      });
      var yesButton = el("button", { type: "button", className: "btn btn-danger", text: yes });
      yesButton.addEventListener("click", function () { done(true); });
      var noButton = el("button", { type: "button", className: "btn btn-outline-secondary", text: no });
      noButton.addEventListener("click", function () { done(false); });
      buttons.appendChild(yesButton);
      buttons.appendChild(noButton);
      dialog.appendChild(el("h2", { id: "offline-dialog-title", className: "h5", text: title }));
      dialog.appendChild(el("p", { className: "mb-0", text: text }));
      dialog.appendChild(buttons);
      dialog.addEventListener("cancel", function (event) {
        event.preventDefault();
        done(false);
      });
      document.body.appendChild(dialog);
      dialog.showModal();
    });
  }

  // --- sign-out: unsent logs are said so, and sent first if she wants; discarding is asked twice ---
  var signingOut = false;
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (signingOut || !(form instanceof HTMLFormElement)) return;
    if (new URL(form.action, location.href).pathname !== cfg.logout) return;
    event.preventDefault();
    (async function () {
      var user = await currentUser();
      var db = await dbReady;
      while (true) {
        var mine = (await queueOf(user)).length;
        var drafts = (await db.getAll("drafts")).filter(function (d) { return d.user === user; }).length;
        var others = await othersWaiting(user);
        if (!mine && !drafts && !others) break;
        var parts = [];
        if (mine) parts.push(plural(mine, "log") + " not sent yet");
        if (drafts) parts.push(plural(drafts, "unfinished log"));
        var text = "Signing out deletes everything Alongside keeps on this phone.";
        if (others) text += " It also holds " + plural(others, "log") + " someone else hasn't sent yet.";
        var choice = await confirmDialog(
          parts.length ? "You have " + parts.join(" and ") : "Logs are waiting on this phone",
          text,
          "Sign out anyway",
          "Stay signed in",
          mine ? [{ label: "Send them now", value: "send" }] : []
        );
        if (choice === "send") {
          await sendQueue();
          continue;
        }
        if (choice !== true) return;
        var sure = await confirmDialog(
          "Delete them and sign out?",
          "What isn't sent is gone for good: nobody can get it back.",
          "Delete and sign out",
          "Keep them"
        );
        if (!sure) return;
        break;
      }
      signingOut = true;
      form.submit();
    })();
  });

  // --- quick hide: one tap to a neutral page, kept out of the back history ---
  function addQuickHide() {
    var button = el("button", {
      type: "button",
      id: "quick-hide",
      className: "btn quick-hide",
      "aria-label": "Quick hide: leave this page for a neutral one",
      text: "Quick hide",
    });
    button.addEventListener("click", function () {
      document.body.replaceChildren();
      document.title = "Weather";
      location.replace(navigator.onLine ? cfg.hide : "about:blank");
    });
    document.body.appendChild(button);
    document.body.classList.add("has-quick-hide");
  }

  // --- the log form: drafts as she types, the queue when she saves ---
  async function attachForm(form, user, pair) {
    var idInput = form.querySelector('[name="client_id"]');
    if (!idInput) {
      idInput = el("input", { type: "hidden", name: "client_id" });
      form.appendChild(idInput);
    }
    var db = await dbReady;
    var fixing = new URLSearchParams(location.search).get("fix");
    var notice = el("div", { id: "offline-form-notice" });
    form.insertBefore(notice, form.firstChild);
    var item = fixing ? await db.get("queue", fixing) : null;
    if (item && item.user === user && item.pair === pair) {
      fill(form, item.fields);
      idInput.value = item.client_id;
      editing = item.client_id;
      showErrors(form, notice, item.errors, "This log wasn't saved: please check the answers marked below, then save again.");
    } else {
      var draft = await db.get("drafts", [user, pair]);
      if (draft) {
        fill(form, draft.fields);
        idInput.value = draft.client_id;
        var again = el("button", { type: "button", className: "btn btn-sm btn-outline-secondary ms-2", text: "Start again" });
        again.addEventListener("click", async function () {
          await db.delete("drafts", [user, pair]);
          location.reload();
        });
        notice.replaceChildren(
          el("div", { className: "alert alert-info", role: "status" }, ["We kept what you were writing.", again])
        );
      }
    }
    if (!idInput.value) idInput.value = newClientId();

    var timer = null;
    var saveDraft = function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        db.put("drafts", { user: user, pair: pair, client_id: idInput.value, fields: serialise(form), saved_at: Date.now() });
      }, 300);
    };
    form.addEventListener("input", saveDraft);
    form.addEventListener("change", saveDraft);

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearTimeout(timer);
      var button = form.querySelector('[type="submit"]');
      // What can be checked without the server is checked here, signal or none: she hears at once
      // and the log isn't queued to be refused later. The server checks it all again.
      var problems = checkLog(form);
      if (problems) {
        showErrors(form, notice, problems, "Please check the answers marked below. Nothing you typed is lost.");
        notice.scrollIntoView();
        return;
      }
      if (button) button.disabled = true;
      (async function () {
        var people = await peopleOf(user);
        var known = people && people.pairs.filter(function (p) { return p.pair === pair; })[0];
        var name = (known && known.name) || form.dataset.name || "";
        var clientId = idInput.value;
        await saveLog(user, pair, name, serialise(form), clientId);
        await sendQueue();
        var after = await db.get("queue", clientId);
        if (after && after.status === "attention") {
          editing = clientId;
          showErrors(form, notice, after.errors, "Please check the answers marked below. Nothing you typed is lost.");
          render();
          if (button) button.disabled = false;
          notice.scrollIntoView();
          return;
        }
        sessionStorage.setItem(
          FLASH,
          after
            ? "Saved on this phone. It will be sent when there is signal."
            : name ? "Session with " + name + " saved. Thank you." : "Session saved. Thank you."
        );
        if (navigator.onLine || (navigator.serviceWorker && navigator.serviceWorker.controller)) {
          location.assign(cfg.scope);
        } else {
          form.reset();
          idInput.value = newClientId();
          if (button) button.disabled = false;
          render();
        }
      })();
    });
  }

  // --- the offline shell: her home and the log form, drawn from the phone's store ---
  // The server's form's words (offline-data.json) win; these are for a phone that has none yet.
  var WORDS = {
    held_on: "When did you meet?",
    duration_minutes: "How long (minutes)",
    mode: "How did you meet?",
    place_type: "What kind of place? (never the address)",
    need_areas: "What did you work on?",
    activities: "What did you do?",
    notes: "Short notes (optional)",
    next_steps: "Next steps (optional)",
    wellbeing: "How has this session left you?",
    travel_miles: "Miles driven (optional)",
    travel_fare: "Bus or train fares, £ (optional)",
    travel_minutes: "Travel time, minutes (optional)",
    expenses_amount: "Other expenses, £ (optional)",
    expenses_what: "What were they for?",
  };
  var words = {};

  function labelOf(name) {
    return (words[name] && words[name].label) || WORDS[name] || name;
  }

  function helpFor(name, control, parent) {
    var help = words[name] && words[name].help;
    if (!help) return;
    var id = "id_" + name + "-help";
    control.setAttribute("aria-describedby", id);
    parent.appendChild(el("div", { className: "form-text", id: id, text: help }));
  }

  function choiceGroup(name, kind, options, checked) {
    var group = el("fieldset", { className: "mb-3 session-choices" }, [
      el("legend", { className: "form-label fw-semibold fs-6", text: labelOf(name) }),
    ]);
    var row = el("div", { className: "d-flex flex-wrap gap-2" });
    options.forEach(function (option, index) {
      var id = "id_" + name + "_" + index;
      var input = el("input", { type: kind, className: "btn-check", name: name, id: id, value: String(option[0]), autocomplete: "off" });
      if (checked === String(option[0])) input.checked = true;
      row.appendChild(input);
      row.appendChild(el("label", { className: "btn btn-outline-primary", for: id, text: option[1] }));
    });
    if (!options.length) row.appendChild(el("p", { className: "small text-body-secondary mb-0", text: "None to choose from yet." }));
    group.appendChild(row);
    helpFor(name, group, group);
    return group;
  }

  function inputField(name, attrs, col) {
    var id = "id_" + name;
    var input = el("input", Object.assign({ name: name, id: id, className: "form-control form-control-lg" }, attrs));
    var box = el("div", { className: (col || "col-12") + " mb-1" }, [
      el("label", { className: "form-label fw-semibold", for: id, text: labelOf(name) }),
      input,
    ]);
    helpFor(name, input, box);
    return box;
  }

  function textField(name, rows) {
    var id = "id_" + name;
    var area = el("textarea", { name: name, id: id, rows: String(rows), className: "form-control" });
    var box = el("div", { className: "mb-3" }, [
      el("label", { className: "form-label fw-semibold", for: id, text: labelOf(name) }),
      area,
    ]);
    helpFor(name, area, box);
    return box;
  }

  function today() {
    var now = new Date();
    return new Date(now.getTime() - now.getTimezoneOffset() * 60000).toISOString().slice(0, 10);
  }

  function buildForm(people, pair) {
    var choices = people.choices;
    words = people.form || {};
    var form = el("form", { method: "post", novalidate: "", className: "session-log", "data-session-log": "", "data-pair-id": String(pair.pair), "data-name": pair.name, "aria-label": "Log a session" });
    var areas = (people.need_areas || {})[String(pair.organisation)] || [];
    form.appendChild(el("input", { type: "hidden", name: "client_id", id: "id_client_id" }));
    form.appendChild(
      el("div", { className: "row g-3" }, [
        inputField("held_on", { type: "date", value: today(), max: today(), required: "" }, "col-6"),
        inputField("duration_minutes", { type: "number", min: "1", max: "720", value: "60", inputmode: "numeric", required: "" }, "col-6"),
      ])
    );
    form.appendChild(choiceGroup("mode", "radio", choices.mode, "in_person"));
    var place = el("select", { name: "place_type", id: "id_place_type", className: "form-select form-select-lg" });
    [["", "Not in person"]].concat(choices.place_type).forEach(function (option) {
      place.appendChild(el("option", { value: option[0], text: option[1] }));
    });
    form.appendChild(el("div", { className: "mb-3" }, [el("label", { className: "form-label fw-semibold", for: "id_place_type", text: labelOf("place_type") }), place]));
    form.appendChild(choiceGroup("need_areas", "checkbox", areas));
    form.appendChild(choiceGroup("activities", "checkbox", choices.activities));
    form.appendChild(textField("notes", 3));
    form.appendChild(textField("next_steps", 2));
    form.appendChild(choiceGroup("wellbeing", "radio", choices.wellbeing, "fine"));
    form.appendChild(
      el("details", { className: "mb-3 session-travel" }, [
        el("summary", { className: "fw-semibold", text: "Travel and expenses" }),
        el("div", { className: "row g-3 mt-1" }, [
          inputField("travel_miles", { type: "number", min: "0", max: "500", step: "0.1", inputmode: "decimal" }, "col-6"),
          inputField("travel_fare", { type: "number", min: "0", step: "0.01", inputmode: "decimal" }, "col-6"),
          inputField("travel_minutes", { type: "number", min: "0", inputmode: "numeric" }, "col-6"),
          inputField("expenses_amount", { type: "number", min: "0", step: "0.01", inputmode: "decimal" }, "col-6"),
          inputField("expenses_what", { type: "text", maxlength: "200" }, "col-12"),
        ]),
      ])
    );
    form.appendChild(
      el("div", { className: "d-flex flex-wrap gap-2 py-2" }, [
        el("button", { type: "submit", className: "btn btn-primary btn-lg", text: "Save the session" }),
        el("a", { className: "btn btn-link", href: cfg.scope, text: "Back" }),
      ])
    );
    return form;
  }

  async function drawShell(user) {
    var shell = document.getElementById("offline-shell");
    var heading = document.getElementById("offline-heading");
    var body = document.getElementById("offline-body");
    var people = await peopleOf(user);
    var pairId = pairFromPath();
    body.replaceChildren();
    if (!people || !people.pairs) {
      heading.textContent = "My mentees";
      body.appendChild(el("p", { text: "Nothing is kept on this phone yet. Open Alongside once with signal, signed in, and your mentees will be here next time." }));
      return;
    }
    if (pairId !== null) {
      var pair = people.pairs.filter(function (p) { return p.pair === pairId; })[0];
      if (!pair || !people.choices) {
        heading.textContent = "Log a session";
        body.appendChild(el("p", { text: "This log form isn't kept on this phone. Go back to your mentees." }));
        body.appendChild(el("a", { className: "btn btn-primary", href: cfg.scope, text: "My mentees" }));
        return;
      }
      heading.textContent = "Log a session with " + pair.name;
      var form = buildForm(people, pair);
      body.appendChild(el("p", { className: "small", text: "No signal: this log is saved on your phone and sent when there is signal." }));
      body.appendChild(form);
      await attachForm(form, user, pairId);
      return;
    }
    heading.textContent = "My mentees";
    if (!people.pairs.length) {
      body.appendChild(el("p", { text: "You have no active mentoring pairs yet." }));
    }
    people.pairs.forEach(function (pair) {
      body.appendChild(
        el("section", { className: "card mb-3 mentee-card", "data-pair-id": String(pair.pair), "data-name": pair.name, "aria-labelledby": "offline-pair-" + pair.pair }, [
          el("div", { className: "card-body" }, [
            el("h2", { className: "h5 mb-2", id: "offline-pair-" + pair.pair, text: pair.name }),
            el("a", { className: "btn btn-primary btn-lg", href: logUrl(pair.pair) }, [
              "Log a session",
              el("span", { className: "visually-hidden", text: " with " + pair.name }),
            ]),
          ]),
        ])
      );
    });
    shell.dataset.ready = "true";
  }

  // --- start ---
  async function start() {
    addQuickHide();
    var user = await currentUser();
    if (navigator.serviceWorker && window.workbox && cfg.sw) {
      new window.workbox.Workbox(cfg.sw, { scope: cfg.scope }).register().catch(function () {});
    }
    if (pageUser) {
      var newPair = await keepNamesFromHome(pageUser);
      var known = await peopleOf(pageUser);
      if (newPair || !known || !known.choices || Date.now() - known.saved_at > DATA_FRESH_FOR) await fetchData();
      warmCache();
    } else if (isShell && navigator.onLine) {
      var data = await fetchData();
      if (data && data.user) user = data.user;
    }
    if (isShell) await drawShell(user);
    var form = document.querySelector("form[data-session-log][data-pair-id]");
    if (form && !isShell && user) await attachForm(form, user, Number(form.dataset.pairId));
    await render();
    await sendQueue();
    document.documentElement.dataset.offlineReady = "true";
  }

  // The page's own styles and scripts, kept for the shell (they hold no personal content).
  function warmCache() {
    if (!window.caches) return;
    var urls = Array.from(document.querySelectorAll('link[rel="stylesheet"][href], script[src], link[rel="icon"][href]'), function (node) {
      return node.href || node.src;
    }).filter(function (url) { return new URL(url).pathname.indexOf("/static/") === 0; });
    caches
      .open("alongside-static")
      .then(function (cache) { return cache.addAll(urls); })
      .then(function () { document.documentElement.dataset.offlineCached = "true"; })
      .catch(function () {});
  }

  window.addEventListener("online", function () { sendQueue(); });
  // The worker sent (or refused) some by Background Sync: show what is left.
  if (navigator.serviceWorker) {
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data === "alongside-queue-changed") render();
    });
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") sendQueue();
  });
  // The "oldest 3 hours" line stays true while the page is open.
  setInterval(render, 60000);
  // For the browser tests and the page's own buttons: the same calls the page makes.
  window.alongsideOffline = {
    saveLog: async function (pair, fields) {
      var user = await currentUser();
      var clientId = newClientId();
      await saveLog(user, pair, "", fields, clientId);
      return clientId;
    },
    sendQueue: sendQueue,
    queue: async function () { return queueOf(await currentUser()); },
    render: render,
  };
  start();
})();
