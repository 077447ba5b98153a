/* The LMS layout's header on a phone: the menu folds behind a "Menu" button, so the links do not
 * wrap over two lines. Without this script the menu is one row that scrolls sideways. */
(function () {
  "use strict";

  var header = document.querySelector("[data-site-header]");
  var toggle = header && header.querySelector("[data-menu-toggle]");
  if (!toggle) return;

  function setOpen(open) {
    toggle.setAttribute("aria-expanded", String(open));
    header.classList.toggle("site-header--open", open);
  }

  header.classList.add("site-header--foldable");
  toggle.hidden = false;
  toggle.addEventListener("click", function () {
    setOpen(toggle.getAttribute("aria-expanded") !== "true");
  });
  header.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
      setOpen(false);
      toggle.focus();
    }
  });
}());
