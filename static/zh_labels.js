/* Streamlit's own words for screen readers, in Chinese: its buttons and help icons are read out as "Help for
 * 大字模式", "Collapse sidebar" or "Increment" to a reader who asked for a Chinese page. Fixed words only; no
 * data passes through here. Installed once per page, it follows Streamlit's re-renders. */
(function () {
  "use strict";
  if (window.servicemapZhLabels) return;
  window.servicemapZhLabels = true;
  var WORDS = {
    "Sidebar": "侧栏",
    "Collapse sidebar": "收起侧栏",
    "Expand sidebar": "展开侧栏",
    "App pages": "页面",
    "Open": "展开选项",
    "Close": "关闭",
    "Clear all": "全部清除",
    "Clear value": "清除",
    "Link to heading": "本节链接",
    "Decrement": "减少",
    "Increment": "增加",
    "Copy to clipboard": "复制",
    "Choose an option": "请选择",
    "Skip to main content": "跳到主要内容",
    "Download as PNG": "下载为 PNG 图片",
    "Download as SVG": "下载为 SVG 图片",
    "Show data": "显示数据",
    "Fullscreen": "全屏",
    "Exit fullscreen": "退出全屏",
    "Selected values": "已选",
    "Zoom in": "放大",
    "Zoom out": "缩小",
    // The list grid's toolbar
    "Search": "搜索",
    "Download as CSV": "下载为 CSV",
    "Show/hide columns": "显示/隐藏列"
  };
  var NO_MATCH = "没有找到：列表里没有这个名称";  // as static/page.css shows it
  var PATTERNS = [[/^Help for (.+)$/, "$1 的说明"], [/^Remove (.+)$/, "移除 $1"]];

  function translated(text) {
    if (WORDS[text]) return WORDS[text];
    for (var i = 0; i < PATTERNS.length; i++) {
      if (PATTERNS[i][0].test(text)) return text.replace(PATTERNS[i][0], PATTERNS[i][1]);
    }
    return null;
  }

  // A number box's − and + named with their field ("减少 步行时间（分钟）"): two boxes side by side were heard as
  // four buttons, 减少, 增加, 减少, 增加, with nothing to say which was which.
  function withField(element, zh) {
    var box = (zh === "减少" || zh === "增加") && element.closest('[data-testid="stNumberInput"]');
    var label = box && box.querySelector('[data-testid="stWidgetLabel"]');
    return label && label.textContent.trim() ? zh + " " + label.textContent.trim() : zh;
  }

  function fix(element) {
    ["aria-label", "placeholder", "title"].forEach(function (name) {
      var value = element.getAttribute(name), zh = value && translated(value);
      if (zh) element.setAttribute(name, name === "aria-label" ? withField(element, zh) : zh);
    });
    // The multiselect's "Select all" row: the page shows 全选 (CSS), a screen reader read its English text.
    // (Set only when different: each set is a mutation this observer sees again.)
    if (element.getAttribute("data-key") === "__select_all__" && element.getAttribute("aria-label") !== "全选") {
      element.setAttribute("aria-label", "全选");
    }
    // The map's frame is named by its component ("streamlit_folium.st_folium"): a screen reader says 站点地图.
    if (element.tagName === "IFRAME" && element.title === "streamlit_folium.st_folium" &&
        element.getAttribute("aria-label") !== "站点地图") {
      element.setAttribute("aria-label", "站点地图");
    }
    // The one row of a list with no match: the page's CSS shows it in Chinese, a screen reader read it as "No
    // results 没有找到：…" (accessibility review).
    if (element.getAttribute("role") === "option" && element.closest('[role="listbox"][data-empty="true"]') &&
        element.getAttribute("aria-label") !== NO_MATCH) {
      element.setAttribute("aria-label", NO_MATCH);
    }
    // Icon-font ligatures ("info", "share") are read out as English words: they are decoration.
    if (element.getAttribute("data-testid") === "stIconMaterial") element.setAttribute("aria-hidden", "true");
    // A heading's own link (本节链接) is a Tab stop per heading that leads nowhere new: out of the Tab order, and
    // out of what a screen reader reads (every heading was read with "本节链接" in it; accessibility review).
    if (element.tagName === "A" && element.getAttribute("aria-label") === "本节链接" &&
        element.getAttribute("aria-hidden") !== "true") {
      element.setAttribute("tabindex", "-1");
      element.setAttribute("aria-hidden", "true");
    }
    if (element.tagName === "A" && element.childElementCount === 0) {
      var zh = translated(element.textContent.trim());
      if (zh) element.textContent = zh;
    }
  }

  function sweep(root) {
    fix(root);
    root.querySelectorAll(
      "[aria-label],[placeholder],[title],[data-testid=stIconMaterial],a,[data-key],iframe,[role=option]"
    )
      .forEach(fix);
  }

  // The page is Chinese; Streamlit declares it English, so a screen reader read it with English rules.
  document.documentElement.lang = "zh-CN";
  sweep(document.body);
  new MutationObserver(function (records) {
    records.forEach(function (record) {
      if (record.type === "attributes") fix(record.target);
      record.addedNodes.forEach(function (node) { if (node.nodeType === 1) sweep(node); });
    });
  }).observe(document.body, {
    subtree: true, childList: true, attributes: true, attributeFilter: ["aria-label", "placeholder"]
  });
})();
