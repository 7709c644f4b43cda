/* The keyboard follows the sidebar (accessibility review). Streamlit slides a closed sidebar off the screen and
 * leaves it in the page: on a phone the first 19 Tab stops were its invisible filters, and a screen reader read
 * them out under 侧栏. page.css hides it while closed; here the focus goes with it:
 * - opened (», 展开侧栏): to its first control; it had gone to the page itself, and the next Tab into the page
 *   behind the open sidebar.
 * - closed with the focus inside it (its ×, or a page chosen on a phone): to », to open it again; the focus had
 *   been left on a control no one could see. */
(function () {
  "use strict";
  if (window.servicemapSidebar) return;
  window.servicemapSidebar = true;
  var FOCUSABLE = "a[href], button, input, [tabindex='0'], [role='combobox']";
  function lost() {
    var active = document.activeElement;
    return !active || active === document.body;
  }
  // The element Streamlit draws a frame or a few later: looked for up to a second.
  function whenDrawn(find, act) {
    var tries = 0;
    (function look() {
      var element = find();
      if (element) act(element);
      else if (tries++ < 60) window.requestAnimationFrame(look);
    })();
  }
  new MutationObserver(function (changes) {
    changes.forEach(function (change) {
      var sidebar = change.target;
      if (sidebar.getAttribute("data-testid") !== "stSidebar") return;
      var closed = sidebar.getAttribute("data-collapsed") === "true";
      var active = document.activeElement;
      var fromOpener = active && active.closest && active.closest("[data-testid='stExpandSidebarButton']");
      if (!closed && (lost() || fromOpener)) {
        whenDrawn(function () {
          var content = sidebar.querySelector("[data-testid='stSidebarContent']");
          return content && content.querySelector(FOCUSABLE);
        }, function (first) { first.focus(); });
      } else if (closed && (lost() || sidebar.contains(active))) {
        whenDrawn(function () {
          return document.querySelector("[data-testid='stExpandSidebarButton']");
        }, function (button) { button.focus(); });
      }
    });
  }).observe(document.body, { attributes: true, attributeFilter: ["data-collapsed"], subtree: true });
})();
