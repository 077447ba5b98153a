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
    if (inFlight || !positions.length) return;
    var answers = {};
    var revisions = {};
    positions.forEach(function (position) {
      var fieldset = form.querySelector("fieldset[data-position='" + position + "']");
      var answer = readAnswer(fieldset);
      if (!answer.ok) { delete dirty[position]; return; }
      answers[position] = answer.value;
      revisions[position] = parseInt(revisionInput(position).value, 10);
    });
    if (!Object.keys(answers).length) return;
    inFlight = true;
    setStatus(t("saving"));
    fetch(saveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json" },
      body: JSON.stringify({ answers: answers, revisions: revisions })
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
        if (Object.keys(dirty).length) save();
      } else if (result.body.review_url) {  // submitted, or time ran out: show the result
        storeBackup({});
        window.location.assign(result.body.review_url || root.dataset.reviewUrl);
      } else if (result.status === 400) {
        Object.keys(answers).forEach(function (position) { delete dirty[position]; });
        setStatus(result.body.message || t("not_saved"), true);
      } else if (result.status === 401 || result.status === 403) {
        setStatus(t("signed_out"), true);
      } else if (result.status === 429 && result.retryAfter > 0) {
        // Too many saves: say so in the server's words and try again when it says; answers stay.
        setStatus(result.body.message || t("not_saved"), true);
        window.clearTimeout(timerHandle);
        timerHandle = window.setTimeout(save, result.retryAfter * 1000);
      } else {
        retry();
      }
    }).catch(function () {
      inFlight = false;
      retry();
    });
  }

  function retry() {
    retryDelay = Math.min(retryDelay ? retryDelay * 2 : 2000, 30000);
    setStatus(t("offline", { seconds: Math.round(retryDelay / 1000) }), true);
    window.clearTimeout(timerHandle);
    timerHandle = window.setTimeout(save, retryDelay);
  }

  function onChange(event) {
    var fieldset = event.target.closest("fieldset.question");
    if (!fieldset) return;
    var position = fieldset.dataset.position;
    var answer = readAnswer(fieldset);
    if (!answer.ok) {
      setStatus(t("ordering"), true);
      return;
    }
    dirty[position] = true;
    backUp(position, answer.value);
    window.clearTimeout(debounceHandle);
    debounceHandle = window.setTimeout(save, event.type === "input" ? 1200 : 300);
  }

  form.addEventListener("change", onChange);
  form.addEventListener("input", onChange);
  window.addEventListener("online", function () { retryDelay = 0; save(); });
  window.addEventListener("beforeunload", function (event) {
    if (Object.keys(dirty).length && !form.dataset.submitting) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  form.addEventListener("submit", function () { form.dataset.submitting = "1"; });

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
