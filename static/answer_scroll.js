/* After "my location" is put on the map, bring the answer (the nearest meal point, at the top of the page) into
 * view. On a phone the reader taps a map two screens down; the answer appeared above the screen, cut off or
 * unseen, and nothing on the screen changed but the red dot. The page wraps the answer in a container keyed
 * ANSWER_ANEW (ui/frame.py fills in the key) only on the run right after such a tap, so a link, a filter or
 * the place list in 我附近 (which repeats the answer where the reader is) never moves the page. Installed
 * once per page. */
(function () {
  "use strict";
  if (window.servicemapAnswerScroll) return;
  window.servicemapAnswerScroll = true;
  var SELECTOR = ".st-key-ANSWER_ANEW";
  function bringIntoView() {
    var answer = document.querySelector(SELECTOR);
    if (!answer || answer.dataset.smShown) return;
    // Only once it has drawn: the container arrives before the box inside it.
    if (!answer.querySelector('[data-testid="stAlert"]')) return;
    answer.dataset.smShown = "1";
    var box = answer.getBoundingClientRect();
    if (box.top >= 0 && box.bottom <= window.innerHeight) return; // already in view: leave the page still
    answer.scrollIntoView({ block: "start" }); // its scroll-margin-top keeps it clear of the header
  }
  // Marks the page leaves for one run (empty containers keyed DETAIL_ANEW, PICKER_ANEW): a site chosen on
  // 资源清单 and opened with 在地图上查看 (its details come into view and its name takes the keyboard's focus,
  // which had fallen to the page's top), and 清除选择 (the site picker takes the focus).
  function once(markKey, targetSelector, act) {
    var mark = document.querySelector(".st-key-" + markKey);
    if (!mark || mark.dataset.smShown) return;
    var target = document.querySelector(targetSelector);
    if (!target) return;
    mark.dataset.smShown = "1";
    act(target);
  }
  // The map comes into view from its top, for 在地图上查看 asked to see the site on the map: brought to the
  // details' name, a phone showed its details again with the map above the screen, and a laptop cut off the
  // map's top (phone and staff reviews). Beside the map on a computer, the details come into view with it.
  function bringDetailIntoView() {
    // Once the map's frame is there too, at its height: the component makes it after the details' text has
    // drawn, and sizes it after that (brought into view at no height, the page stayed at its top).
    var name = document.querySelector(".st-key-site_detail h3");
    var frame = document.querySelector('iframe[title="streamlit_folium.st_folium"]');
    if (!name || !frame || !frame.offsetHeight) return;
    once("DETAIL_ANEW", 'iframe[title="streamlit_folium.st_folium"]', function (map) {
      name.setAttribute("tabindex", "-1");
      map.scrollIntoView({ block: "start" });
      name.focus({ preventScroll: true });
    });
  }
  function focusPicker() {
    once("PICKER_ANEW", '.st-key-site_detail input[role="combobox"]', function (input) { input.focus(); });
  }
  // A row of 资源清单's grid chosen with the mouse: the site in full appears under the grid, below a laptop's
  // screen, and a reader thought nothing had happened (staff review). It comes into view; from the keyboard
  // the page stays with the grid, where the next row is chosen (a screen reader is told where it appeared).
  // Once, for the press that chose it: a later run drawing the same details again must not pull the page away
  // from where the reader has gone since (the order box above the grid, opened from the keyboard).
  var rowPressed = null;
  function nameInFull() {
    var name = document.querySelector(".st-key-list_site_detail h3");
    return name ? name.textContent : null;
  }
  document.addEventListener("pointerdown", function (event) {
    var onGrid = event.target.closest && event.target.closest('[data-testid="stDataFrame"]');
    rowPressed = onGrid ? { at: Date.now(), before: nameInFull() } : null;
  }, true);
  document.addEventListener("keydown", function () { rowPressed = null; }, true);
  function bringRowInFullIntoView() {
    if (!rowPressed) return;
    if (Date.now() - rowPressed.at > 10000) { rowPressed = null; return; }
    var name = nameInFull();
    if (!name || name === rowPressed.before) return;
    rowPressed = null;
    var inFull = document.querySelector(".st-key-list_site_detail");
    if (inFull.getBoundingClientRect().top > window.innerHeight - 160) inFull.scrollIntoView({ block: "start" });
  }
  // Attributes too: the map's frame takes its height by its own.
  new MutationObserver(function () { bringIntoView(); bringDetailIntoView(); focusPicker(); bringRowInFullIntoView(); })
    .observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ["height", "style"] });
})();
