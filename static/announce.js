/* What the page shows only to the eye, said to a screen reader in a polite live region (the keyboard's focus
 * stays where it is). Fixed words, the page's own title and Streamlit's own help texts only. Installed once per
 * page.
 * - A change of page: Streamlit swaps the page's content without loading a new document, and a reader who chose
 *   资源清单 heard nothing; only the browser tab's title changed (keyboard review). "已打开：" and the new title, once the
 *   address has moved to another page and the title has followed. (The list page's 在地图上查看 puts the focus on
 *   the site's name itself.)
 * - A "?" help text opened from the keyboard: its button was read as "大字模式 的说明" and the text it opened was
 *   not read at all (keyboard review).
 * - A site chosen in 资源清单's grid: its details appear below the grid, and a reader choosing the row with
 *   Shift+Space was not told (keyboard review). Its name is said as text, never as markup.
 * - The nearest meal point's answer, once 我的位置 is chosen (below). */
(function () {
  "use strict";
  if (window.servicemapAnnounce) return;
  window.servicemapAnnounce = true;
  var said = document.createElement("div");
  said.className = "sm-said";
  said.setAttribute("role", "status");
  said.setAttribute("aria-live", "polite");
  // Off screen, not hidden: a screen reader reads it, the eye does not need it.
  said.style.cssText = "position:fixed;left:-10000px;top:0;width:1px;height:1px;overflow:hidden;";
  document.body.appendChild(said);

  var path = window.location.pathname, title = document.title;
  function pageChanged() {
    if (window.location.pathname === path || document.title === title) return;  // not moved, or no title yet
    path = window.location.pathname;
    title = document.title;
    said.textContent = "已打开：" + title;
  }
  // Either may come first: the address (a link to 资源清单) or the title (back to the map, whose title the
  // router sets before the page's run moves the address). Each is looked at when the other changes.
  new MutationObserver(pageChanged).observe(document.head, { subtree: true, childList: true, characterData: true });
  window.addEventListener("popstate", function () { setTimeout(pageChanged, 0); });
  ["pushState", "replaceState"].forEach(function (name) {
    var original = window.history[name].bind(window.history);
    window.history[name] = function () {
      var result = original.apply(null, arguments);
      setTimeout(pageChanged, 0);
      return result;
    };
  });

  function helpOpened(node) {
    var help = node.matches && (node.matches('[data-testid="stTooltipContent"]') ? node :
      node.querySelector('[data-testid="stTooltipContent"]'));
    var focused = document.activeElement;
    if (!help || !focused || !focused.closest('[data-testid="stTooltipHoverTarget"]')) return;
    if (!focused.matches(":focus-visible")) return;  // opened by the mouse: the eye reads it
    said.textContent = "说明：" + help.textContent.trim();
  }
  var rowShown = "";
  function rowChosen() {
    var name = document.querySelector(".st-key-list_site_detail h3");
    var text = name ? name.textContent.trim() : "";
    if (text === rowShown) return;
    rowShown = text;
    if (text) said.textContent = "表格下方已显示：" + text + " 的全部信息";
  }
  // The answer to "where is the nearest meal point", once 我的位置 is chosen (from the list, on the map, or the
  // browser's position): a box put in at the page's top, which a screen reader did not read, with the focus left
  // in the place box (accessibility review). Said: which, how far and from where, so that another place chosen,
  // with the same nearest meal point, is said too (regression review). The box is the one with the meal icon.
  var SAID_LINES = /^(多远|从哪里算)：/;
  var answerSaid = "";
  function answerShown() {
    var icons = document.querySelectorAll('[data-testid="stMain"] [data-testid="stAlertDynamicIcon"]');
    var icon = Array.prototype.filter.call(icons, function (i) { return i.textContent.trim() === "restaurant"; })[0];
    var answer = icon && icon.closest('[data-testid="stAlert"]');
    var text = answer ? answer.querySelector('[data-testid="stMarkdownContainer"]').innerText : "";
    var lines = text.split("\n").map(function (line) { return line.trim(); }).filter(Boolean);
    var gist = lines.filter(function (line, i) { return i === 0 || SAID_LINES.test(line); }).join("；");
    if (gist === answerSaid) return;
    answerSaid = gist;
    if (gist) said.textContent = gist;
  }
  new MutationObserver(function (records) {
    records.forEach(function (record) {
      record.addedNodes.forEach(function (node) { if (node.nodeType === 1) helpOpened(node); });
    });
    rowChosen();
    answerShown();
  }).observe(document.body, { subtree: true, childList: true });
})();
