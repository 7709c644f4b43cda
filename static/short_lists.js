/* Lists chosen by looking (types, levels, streets, basemaps: Streamlit's filter_mode=None, an input marked
 * inputmode="none") take no typing. Streamlit still let text into the box without filtering by it, and Enter
 * then chose the list's first option: "食堂" typed into 设施类型 and entered changed the filter, silently.
 * Here nothing typed goes in, and Enter chooses only after the reader has moved through the options with the
 * arrow keys (or Space, Tab and Escape, which keep their meanings). Installed once per page. */
(function () {
  "use strict";
  if (window.servicemapShortLists) return;
  window.servicemapShortLists = true;
  var SHORT_LIST = 'input[role="combobox"][inputmode="none"]';
  var typedSinceMove = new WeakSet();
  document.addEventListener(
    "beforeinput",
    function (event) {
      if (event.target.matches && event.target.matches(SHORT_LIST)) {
        event.preventDefault();
        typedSinceMove.add(event.target);
      }
    },
    true
  );
  document.addEventListener(
    "keydown",
    function (event) {
      var box = event.target;
      if (!box.matches || !box.matches(SHORT_LIST)) return;
      if (event.key === "ArrowDown" || event.key === "ArrowUp" || event.key === "Home" || event.key === "End") {
        typedSinceMove.delete(box);
      } else if (event.key === "Enter" && typedSinceMove.has(box)) {
        event.preventDefault();
        event.stopPropagation();
      }
    },
    true
  );
  // A mouse press that began outside a list chooses nothing by ending over it. Streamlit's lists choose on the
  // release wherever the press began, and the page can move under a still mouse: a press on 我的位置's box, the
  // map's rerun redrew the part above it, the list's first place came under the pointer, and the release chose
  // 卢沟桥（古桥） for a reader typing 卢沟桥乡政府. So the list takes no pointer until the press ends, unless the
  // mouse itself moves (a press dragged onto an option still chooses it).
  var PRESS_OUTSIDE = "sm-press-outside-list";
  var style = document.createElement("style");
  style.textContent = "." + PRESS_OUTSIDE + ' [role="listbox"], .' + PRESS_OUTSIDE + ' [role="listbox"] * ' +
    "{ pointer-events: none !important; }";
  document.head.appendChild(style);
  function pressEnded() {
    document.documentElement.classList.remove(PRESS_OUTSIDE);
  }
  document.addEventListener(
    "pointerdown",
    function (event) {
      if (event.pointerType === "mouse" && !(event.target.closest && event.target.closest('[role="listbox"]'))) {
        document.documentElement.classList.add(PRESS_OUTSIDE);
      }
    },
    true
  );
  document.addEventListener(
    "pointermove",
    function (event) {
      if (event.buttons === 0 || event.movementX || event.movementY) pressEnded();
    },
    true
  );
  ["pointerup", "pointercancel"].forEach(function (name) { window.addEventListener(name, pressEnded, true); });
  window.addEventListener("blur", pressEnded);
  document.addEventListener(
    "focusout",
    function (event) {
      typedSinceMove.delete(event.target);
    },
    true
  );
})();
