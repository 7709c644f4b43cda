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
  // A site chosen on 资源清单, opened on the map page with 在地图上查看: its details come into view and its name
  // takes the keyboard's focus (it had fallen to the page's top), once its heading has drawn.
  function bringDetailIntoView() {
    var detail = document.querySelector(".st-key-DETAIL_ANEW");
    if (!detail || detail.dataset.smShown) return;
    var name = detail.querySelector("h3");
    if (!name) return;
    detail.dataset.smShown = "1";
    name.setAttribute("tabindex", "-1");
    detail.scrollIntoView({ block: "start" });
    name.focus({ preventScroll: true });
  }
  new MutationObserver(function () { bringIntoView(); bringDetailIntoView(); })
    .observe(document.body, { childList: true, subtree: true });
})();
