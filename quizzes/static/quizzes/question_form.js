// The question editor shows only the fields the chosen type uses. Each panel names its types in
// data-question-types (quizzes/question_types.py); the server ignores the hidden fields, so the
// form also works without this script, showing every field.
(function () {
  "use strict";

  function showFieldsOf(form, type) {
    form.querySelectorAll("[data-question-types]").forEach(function (panel) {
      var types = panel.getAttribute("data-question-types").split(" ");
      panel.hidden = Boolean(type) && types.indexOf(type) === -1;
    });
  }

  function start() {
    var select = document.querySelector("select[data-question-type-select]");
    if (!select || !select.form) {
      return;
    }
    var form = select.form;
    var update = function () {
      showFieldsOf(form, select.value);
    };
    select.addEventListener("change", update);
    // Rows added with "Add choice" come from a template: hide their fields too.
    var rows = form.querySelector("[id$='choices-FORMS']");
    if (rows && window.MutationObserver) {
      new MutationObserver(update).observe(rows, { childList: true });
    }
    update();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
