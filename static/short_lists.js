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
  document.addEventListener(
    "focusout",
    function (event) {
      typedSinceMove.delete(event.target);
    },
    true
  );
})();
