/* Quiz attempt: background autosave, offline recovery and an accessible timer.
 * The page works without this script (answers are saved when the form is posted);
 * this only saves sooner and keeps unsent answers safe in localStorage until the server has them.
 */
(function () {
  "use strict";

  var root = document.querySelector(".attempt");
  var form = document.querySelector("[data-attempt-form]");
  if (!root || !form) return;

  var saveUrl = root.dataset.saveUrl;
  var storageKey = "lms-attempt:" + saveUrl;
  var statusEl = root.querySelector("[data-save-status]");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var dirty = {};          // position -> true while a change is not yet on the server
  var flags = {};          // position -> flagged, while the change is not yet on the server
  var waitingFor;          // the button pressed while offline: pressed again once back online
  var inFlight = false;
  var retryDelay = 0;
  var timerHandle = null;
  var debounceHandle = null;
  // Translated messages, rendered by the server (quizzes.views.attempts.JS_MESSAGES).
  var messages = JSON.parse(root.dataset.messages);
  function t(key, values) {
    return (messages[key] || key).replace(/%\((\w+)\)s/g, function (_, name) { return values[name]; });
  }

  function setStatus(message, isError) {
    if (!statusEl) return;
    statusEl.textContent = message;
    statusEl.classList.toggle("save-status--error", !!isError);
  }

  function questions() { return Array.prototype.slice.call(form.querySelectorAll("fieldset.question")); }

  function readAnswer(fieldset) {
    var type = fieldset.dataset.type;
    var name = "q" + fieldset.dataset.position;
    if (type === "single" || type === "true_false") {
      var checked = fieldset.querySelector("input[name='" + name + "']:checked");
      return { ok: true, value: checked ? parseInt(checked.value, 10) : null };
    }
    if (type === "multiple") {
      var ids = Array.prototype.map.call(
        fieldset.querySelectorAll("input[name='" + name + "']:checked"),
        function (input) { return parseInt(input.value, 10); });
      return { ok: true, value: ids.length ? ids : null };
    }
    if (type === "matching") {
      var matched = {};
      Array.prototype.forEach.call(fieldset.querySelectorAll("select"), function (select) {
        matched[select.name.split("-").pop()] = select.value;
      });
      return { ok: true, value: matched };
    }
    if (type === "ordering") {
      var ranks = [];
      var selects = fieldset.querySelectorAll("select");
      var blank = 0;
      Array.prototype.forEach.call(selects, function (select) {
        if (!select.value) blank += 1;
        ranks.push({ id: parseInt(select.name.split("-").pop(), 10), rank: parseInt(select.value, 10) });
      });
      if (blank === selects.length) return { ok: true, value: null };
      var unique = new Set(ranks.map(function (r) { return r.rank; }));
      if (blank || unique.size !== ranks.length) return { ok: false };
      ranks.sort(function (a, b) { return a.rank - b.rank; });
      return { ok: true, value: ranks.map(function (r) { return r.id; }) };
    }
    var field = fieldset.querySelector("[name='" + name + "']");
    return { ok: true, value: field ? field.value : null };
  }

  function writeAnswer(fieldset, value) {
    var type = fieldset.dataset.type;
    var name = "q" + fieldset.dataset.position;
    if (type === "single" || type === "true_false" || type === "multiple") {
      var chosen = [].concat(value === null ? [] : value).map(String);
      Array.prototype.forEach.call(fieldset.querySelectorAll("input[name='" + name + "']"), function (input) {
        input.checked = chosen.indexOf(input.value) !== -1;
      });
    } else if (type === "matching") {
      Array.prototype.forEach.call(fieldset.querySelectorAll("select"), function (select) {
        select.value = (value && value[select.name.split("-").pop()]) || "";
      });
    } else if (type === "ordering") {
      Array.prototype.forEach.call(fieldset.querySelectorAll("select"), function (select) {
        var id = parseInt(select.name.split("-").pop(), 10);
        select.value = value ? String(value.indexOf(id) + 1) : "";
      });
    } else {
      var field = fieldset.querySelector("[name='" + name + "']");
      if (field) field.value = value === null ? "" : value;
    }
  }

  function revisionInput(position) { return form.querySelector("input[name='rev" + position + "']"); }

  function loadBackup() {
    try { return JSON.parse(window.localStorage.getItem(storageKey)) || {}; } catch (e) { return {}; }
  }

  function storeBackup(backup) {
    try {
      if (Object.keys(backup).length) window.localStorage.setItem(storageKey, JSON.stringify(backup));
      else window.localStorage.removeItem(storageKey);
    } catch (e) { /* private mode or full storage: the server copy still counts */ }
  }

  function backUp(position, value) {
    var backup = loadBackup();
    backup[position] = { value: value, rev: parseInt(revisionInput(position).value, 10) };
    storeBackup(backup);
  }

  function save() {
    window.clearTimeout(debounceHandle);
    var positions = Object.keys(dirty);
    if (inFlight || (!positions.length && !Object.keys(flags).length && waitingFor === undefined)) return;
    var answers = {};
    var revisions = {};
    positions.forEach(function (position) {
      var fieldset = form.querySelector("fieldset[data-position='" + position + "']");
      var answer = readAnswer(fieldset);
      if (!answer.ok) { delete dirty[position]; return; }
      answers[position] = answer.value;
      revisions[position] = parseInt(revisionInput(position).value, 10);
    });
    var sentFlags = flags;
    flags = {};
    if (!Object.keys(answers).length && !Object.keys(sentFlags).length && waitingFor === undefined) return;
    inFlight = true;
    setStatus(t("saving"));
    fetch(saveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json" },
      body: JSON.stringify({ answers: answers, revisions: revisions, flags: sentFlags })
    }).then(function (response) {
      var isJson = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
      if (response.redirected || (response.ok && !isJson)) {
        return { status: 401, body: {} };  // sent to the sign-in page: the session has ended
      }
      return response.json().catch(function () { return {}; }).then(function (body) {
        return { status: response.status, body: body, retryAfter: parseInt(response.headers.get("Retry-After"), 10) };
      });
    }).then(function (result) {
      inFlight = false;
      if (result.status === 200) {
        retryDelay = 0;
        var backup = loadBackup();
        Object.keys(result.body.revisions || {}).forEach(function (position) {
          revisionInput(position).value = result.body.revisions[position];
          if (JSON.stringify(readAnswer(form.querySelector("fieldset[data-position='" + position + "']")).value) === JSON.stringify(answers[position])) {
            delete dirty[position];
            delete backup[position];
          }
        });
        (result.body.stale || []).forEach(function (position) {
          delete dirty[position];
          delete backup[position];
        });
        storeBackup(backup);
        if ((result.body.stale || []).length) {
          setStatus(t("stale"), true);
        } else {
          setStatus(t("saved", { time: new Date().toLocaleTimeString(document.documentElement.lang) }));
        }
        if (Object.keys(dirty).length || Object.keys(flags).length) save();
        else if (waitingFor !== undefined) continueNavigation();
      } else if (result.body.review_url) {  // submitted, or time ran out: show the result
        storeBackup({});
        window.location.assign(result.body.review_url || root.dataset.reviewUrl);
      } else if (result.status === 400) {
        Object.keys(answers).forEach(function (position) { delete dirty[position]; });
        setStatus(result.body.message || t("not_saved"), true);
        if (waitingFor !== undefined) continueNavigation();  // the server's page says what is wrong
      } else if (result.status === 401 || result.status === 403) {
        unsent(sentFlags);
        setStatus(t("signed_out"), true);
        if (waitingFor !== undefined) continueNavigation();  // to the sign-in page; answers kept here
      } else if (result.status === 429 && result.retryAfter > 0) {
        // Too many saves: say so in the server's words and try again when it says; answers stay.
        unsent(sentFlags);
        setStatus(result.body.message || t("not_saved"), true);
        window.clearTimeout(timerHandle);
        timerHandle = window.setTimeout(save, result.retryAfter * 1000);
      } else {
        unsent(sentFlags);
        retry();
      }
    }).catch(function () {
      inFlight = false;
      unsent(sentFlags);
      retry();
    });
  }

  // Flags the server did not take go again with the next save (a newer click on the same flag wins).
  function unsent(sentFlags) {
    Object.keys(sentFlags).forEach(function (position) {
      if (!(position in flags)) flags[position] = sentFlags[position];
    });
  }

  function retry() {
    retryDelay = Math.min(retryDelay ? retryDelay * 2 : 2000, 30000);
    setStatus(t("offline", { seconds: Math.round(retryDelay / 1000) }), true);
    window.clearTimeout(timerHandle);
    timerHandle = window.setTimeout(save, retryDelay);
  }

  function isAnswered(value) {
    if (value === null || value === undefined) return false;
    if (typeof value === "string") return value.trim() !== "";
    if (Array.isArray(value)) return value.length > 0;
    if (typeof value === "object") {
      return Object.keys(value).some(function (key) { return isAnswered(value[key]); });
    }
    return true;
  }

  // The navigation panel's button for a question: its look and the state a screen reader reads.
  function showState(position) {
    var button = form.querySelector("[data-qnav-position='" + position + "']");
    var fieldset = form.querySelector("fieldset[data-position='" + position + "']");
    if (!button || !fieldset) return;
    var answer = readAnswer(fieldset);
    var answered = answer.ok && isAnswered(answer.value);
    var flagged = fieldset.querySelector("[data-flag]").checked;
    button.classList.toggle("qnav__button--answered", answered);
    button.classList.toggle("qnav__button--flagged", flagged);
    button.querySelector("[data-qnav-state]").textContent =
      ", " + t(answered ? "answered" : "not_answered") + (flagged ? ", " + t("flagged") : "");
  }

  function countWords(fieldset) {
    var counter = fieldset.querySelector("[data-word-count]");
    var field = fieldset.querySelector("textarea");
    if (!counter || !field) return;
    var words = field.value.trim() ? field.value.trim().split(/\s+/).length : 0;
    counter.textContent = t("words", { count: words });
  }

  function onChange(event) {
    var fieldset = event.target.closest("fieldset.question");
    if (!fieldset) return;
    var position = fieldset.dataset.position;
    if (event.target.matches("[data-flag]")) {
      if (event.type !== "change") return;
      flags[position] = event.target.checked;
      showState(position);
      window.clearTimeout(debounceHandle);
      debounceHandle = window.setTimeout(save, 300);
      return;
    }
    countWords(fieldset);
    var answer = readAnswer(fieldset);
    if (!answer.ok) {
      setStatus(t("ordering"), true);
      return;
    }
    dirty[position] = true;
    backUp(position, answer.value);
    showState(position);
    window.clearTimeout(debounceHandle);
    debounceHandle = window.setTimeout(save, event.type === "input" ? 1200 : 300);
  }

  // Offline, a page button does not leave for the browser's error screen: the answers stay on
  // this device, the page says it waits, and the button is pressed again once a save gets through.
  var offlineNotice = root.querySelector("[data-offline-notice]");

  function continueNavigation() {
    var submitter = waitingFor;
    waitingFor = undefined;
    if (offlineNotice) offlineNotice.hidden = true;
    form.dataset.submitting = "1";
    if (form.requestSubmit) form.requestSubmit(submitter);
    else form.submit();
  }

  function onSubmit(event) {
    if (form.dataset.submitting) return;  // confirmed online, or time is up
    if (navigator.onLine !== false && !retryDelay) {
      form.dataset.submitting = "1";
      return;
    }
    event.preventDefault();
    waitingFor = event.submitter || null;
    if (offlineNotice) {
      offlineNotice.textContent = t("waiting");
      offlineNotice.hidden = false;
    }
    save();
  }

  form.addEventListener("change", onChange);
  form.addEventListener("input", onChange);
  form.addEventListener("submit", onSubmit);
  window.addEventListener("online", function () { retryDelay = 0; save(); });
  window.addEventListener("beforeunload", function (event) {
    if ((Object.keys(dirty).length || waitingFor !== undefined) && !form.dataset.submitting) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  // Back to a page kept in the browser's memory: show what the server has now, not what was here.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) window.location.reload();
  });

  // Answers typed but not confirmed by the server before a reload or a lost connection come back.
  var backup = loadBackup();
  Object.keys(backup).forEach(function (position) {
    var fieldset = form.querySelector("fieldset[data-position='" + position + "']");
    var input = revisionInput(position);
    if (!fieldset || !input) return;
    if (parseInt(input.value, 10) !== backup[position].rev) {
      var rest = loadBackup(); delete rest[position]; storeBackup(rest);  // the server has newer
      return;
    }
    writeAnswer(fieldset, backup[position].value);
    fieldset.dispatchEvent(new Event("lms:answer-restored"));  // ordering.js redraws its list
    countWords(fieldset);
    showState(position);
    dirty[position] = true;
  });
  if (Object.keys(dirty).length) save();

  // Timer: the server's deadline, corrected for this device's clock.
  var timerEl = root.querySelector("[data-timer]");
  var announceEl = root.querySelector("[data-timer-announce]");
  if (timerEl && root.dataset.deadline) {
    var offset = Date.parse(root.dataset.serverTime) - Date.now();
    var deadline = Date.parse(root.dataset.deadline);
    var announced = {};
    var marks = [600, 300, 60, 30];
    var tick = function () {
      var left = Math.max(0, Math.floor((deadline - (Date.now() + offset)) / 1000));
      var minutes = Math.floor(left / 60);
      var seconds = left % 60;
      timerEl.textContent = minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
      timerEl.parentNode.classList.toggle("timer--low", left <= 60);
      marks.forEach(function (mark) {
        if (left <= mark && left > mark - 5 && !announced[mark]) {
          announced[mark] = true;
          announceEl.textContent = mark === 60
            ? t("one_minute_left")
            : mark > 60 ? t("minutes_left", { minutes: mark / 60 }) : t("seconds_left", { seconds: mark });
        }
      });
      if (left === 0) {
        window.clearInterval(interval);
        announceEl.textContent = t("time_up");
        save();
        var submit = document.createElement("form");
        submit.method = "post";
        submit.action = root.dataset.submitUrl;
        submit.innerHTML = "<input type='hidden' name='csrfmiddlewaretoken'>";
        submit.firstChild.value = csrf;
        document.body.appendChild(submit);
        form.dataset.submitting = "1";
        window.setTimeout(function () { submit.submit(); }, 1500);
      }
    };
    var interval = window.setInterval(tick, 1000);
    tick();
  }
}());
