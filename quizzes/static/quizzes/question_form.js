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

  // Wagtail's rich-text editor and tag field draw inputs of their own beside the field's real
  // (hidden) input, with no name for screen readers: give each the label of the field it
  // stands for (Wagtail's labels have the id "<field id>-label").
  var DRAWN_INPUTS = "[contenteditable='true'], .tagit input";

  function labelDrawnInputs(form) {
    form.querySelectorAll("[data-draftail-input], input[data-controller~='w-tag']").forEach(
      function (field) {
        var label = field.id && document.getElementById(field.id + "-label");
        var drawn = field.parentNode && field.parentNode.querySelector(DRAWN_INPUTS);
        if (label && drawn && !drawn.hasAttribute("aria-labelledby")) {
          drawn.setAttribute("aria-labelledby", label.id);
        }
      }
    );
  }

  function start() {
    var select = document.querySelector("select[data-question-type-select]");
    if (!select || !select.form) {
      return;
    }
    var form = select.form;
    if (window.MutationObserver) {
      // The editors are drawn once their scripts start, and again for each added row.
      new MutationObserver(function () {
        labelDrawnInputs(form);
      }).observe(form, { childList: true, subtree: true });
    }
    labelDrawnInputs(form);
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
