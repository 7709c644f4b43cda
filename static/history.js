/* One entry in the browser's history per page, not one per click. Streamlit adds an entry each time the
 * address's query changes, and the app writes its state there after every change (filters, the map's view):
 * an old reader pressed back five times with nothing happening, and the sixth left the app. A new query on
 * the same page now replaces the entry; moving to another page still adds one, so back returns to it. */
(function () {
  "use strict";
  if (window.servicemapHistory) return;
  window.servicemapHistory = true;
  var push = window.history.pushState.bind(window.history);
  window.history.pushState = function (state, title, url) {
    var next = url === undefined || url === null ? null : new URL(String(url), window.location.href);
    if (next && next.pathname === window.location.pathname) {
      return window.history.replaceState(state, title, url);
    }
    return push(state, title, url);
  };
  // A link to a part of the same page (找最近的助餐点 ↓) scrolls there without a history entry of its own:
  // back from it had stayed on the page.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest('a[href^="#"]');
    var target = link && document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (!target) return;
    event.preventDefault();
    target.scrollIntoView({ block: "start" });
    // ... and takes the keyboard there, as the link's own jump would have: the focus had stayed on the link,
    // the next Tab went back up to the figures, and the place box was 25 stops away (accessibility review).
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus({ preventScroll: true });
  }, true);
})();
