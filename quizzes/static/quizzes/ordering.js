/* Ordering questions: drag the items into order (mouse, pen or finger, by the handle), or move
 * them with the arrow buttons (keyboard and screen readers). The select menus stay the answer
 * and the no-JavaScript fallback: this script only sets them and tells the form, so the autosave
 * (attempt.js) and the plain form post work as before.
 */
(function () {
  "use strict";

  var root = document.querySelector(".attempt");
  if (!root) return;
  var messages = JSON.parse(root.dataset.messages);
  function t(key, values) {
    return (messages[key] || key).replace(/%\((\w+)\)s/g, function (_, name) { return values[name]; });
  }

  function enhance(fieldset) {
    var container = fieldset.querySelector("[data-ordering]");
    var rows = Array.prototype.slice.call(container.querySelectorAll(".matching__row"));
    var selects = {};
    var list = document.createElement("ol");
    list.className = "sortable";
    var announcer = document.createElement("p");
    announcer.className = "visually-hidden";
    announcer.setAttribute("aria-live", "polite");

    function button(label, symbol, step) {
      var move = document.createElement("button");
      move.type = "button";
      move.className = "sortable__move";
      move.setAttribute("aria-label", label);
      move.textContent = symbol;
      move.addEventListener("click", function () {
        var item = move.closest("li");
        var other = step < 0 ? item.previousElementSibling : item.nextElementSibling;
        if (!other) return;
        list.insertBefore(item, step < 0 ? other : other.nextElementSibling);
        move.focus();  // the focus stays on the button that moved the item
        commit(item);
      });
      return move;
    }

    rows.forEach(function (row) {
      var select = row.querySelector("select");
      var text = row.querySelector("label").textContent.trim();
      var id = select.name.split("-").pop();
      selects[id] = select;
      var item = document.createElement("li");
      item.className = "sortable__item";
      item.dataset.id = id;
      var handle = document.createElement("span");
      handle.className = "sortable__handle";
      handle.setAttribute("aria-hidden", "true");
      handle.textContent = "⠿";
      var label = document.createElement("span");
      label.className = "sortable__text";
      label.textContent = text;
      var moves = document.createElement("span");
      moves.className = "sortable__moves";
      moves.appendChild(button(t("move_up", { item: text }), "↑", -1));
      moves.appendChild(button(t("move_down", { item: text }), "↓", 1));
      item.appendChild(handle);
      item.appendChild(label);
      item.appendChild(moves);
      list.appendChild(item);
      dragByHandle(item, handle);
    });

    // The saved order, if every item has a position; else the order the items were shown in.
    function draw() {
      var ids = Object.keys(selects);
      var complete = ids.every(function (id) { return selects[id].value; });
      if (!complete) return;
      ids.sort(function (a, b) { return selects[a].value - selects[b].value; });
      ids.forEach(function (id) { list.appendChild(list.querySelector("[data-id='" + id + "']")); });
    }

    function commit(moved) {
      var items = list.querySelectorAll(".sortable__item");
      Array.prototype.forEach.call(items, function (item, index) {
        selects[item.dataset.id].value = String(index + 1);
      });
      selects[moved.dataset.id].dispatchEvent(new Event("change", { bubbles: true }));
      var position = Array.prototype.indexOf.call(items, moved) + 1;
      announcer.textContent = t("moved", {
        item: moved.querySelector(".sortable__text").textContent, position: position, count: items.length
      });
    }

    // Moving the item in the page releases the handle's pointer capture, so the document
    // follows the pointer until it is lifted.
    function dragByHandle(item, handle) {
      function follow(event) {
        var before = null;
        Array.prototype.some.call(list.children, function (other) {
          if (other === item) return false;
          var box = other.getBoundingClientRect();
          if (event.clientY < box.top + box.height / 2) { before = other; return true; }
          return false;
        });
        if (item.nextElementSibling !== before) list.insertBefore(item, before);
      }
      function drop() {
        document.removeEventListener("pointermove", follow);
        document.removeEventListener("pointerup", drop);
        document.removeEventListener("pointercancel", drop);
        item.classList.remove("sortable__item--dragging");
        commit(item);
      }
      handle.addEventListener("pointerdown", function (event) {
        event.preventDefault();
        item.classList.add("sortable__item--dragging");
        document.addEventListener("pointermove", follow);
        document.addEventListener("pointerup", drop);
        document.addEventListener("pointercancel", drop);
      });
    }

    draw();
    container.hidden = true;
    fieldset.querySelector("[data-ordering-hint]").hidden = true;
    fieldset.querySelector("[data-ordering-hint-js]").hidden = false;
    container.parentNode.insertBefore(list, container);
    container.parentNode.insertBefore(announcer, container);
    fieldset.addEventListener("lms:answer-restored", draw);
  }

  Array.prototype.forEach.call(
    document.querySelectorAll("fieldset.question[data-type='ordering']"), enhance);
}());
