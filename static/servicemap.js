/* 卢街颐养 map layer: draws sites from the compact dataset (servicemap/sitedata.py) and a bit mask.
 *
 * Every string from the data reaches the page through textContent or createTextNode, never through
 * innerHTML, so a name like "<img onerror=...>" shows as text and runs nothing.
 * Few sites are drawn as labelled pins; many (the server decides, options.dots) as dots on one canvas,
 * which keeps 100,000 sites interactive.
 */
(function () {
  "use strict";

  var datasets = {}; // url -> Promise of the decoded dataset, shared by both layers

  // Names on hover only where there is hover: on a phone a tap left the name's label beside the popup,
  // cut off at the map's edge ("卢沟桥街道养老服务中…"), while the popup already gave the name.
  var CAN_HOVER = !window.matchMedia || !window.matchMedia("(hover: none)").matches;

  /* A tap on the map's background counts as a tap on the map (in 大字模式 it sets "my location") only when it
   * is one: not the tap that closes an open popup, as most people close one, nor a tap just beside a pin,
   * which missed it. Either had set a false "my location" 16 km away and jumped the page to its answer
   * (second phone review). Dropped before the map component hears of it. */
  var NEAR_MISS_PX = 12;
  L.Map.addInitHook(function () {
    var map = this, closing = false;
    map.on("preclick", function () { closing = !!(map._popup && map.hasLayer(map._popup)); });
    var fire = map.fire;
    map.fire = function (type, data, propagate) {
      if (type === "click" && (closing || (data && data.containerPoint && besidePin(map, data.containerPoint)))) {
        closing = false;
        return this;
      }
      return fire.call(this, type, data, propagate);
    };
  });

  function besidePin(map, point) {
    var frame = map.getContainer().getBoundingClientRect();
    return (map._smPins || []).some(function (pin) {
      var element = pin.marker.getElement();
      if (!element || !pin.marker._map) return false;
      var box = element.getBoundingClientRect();
      var x = point.x + frame.left, y = point.y + frame.top;
      return x >= box.left - NEAR_MISS_PX && x <= box.right + NEAR_MISS_PX
        && y >= box.top - NEAR_MISS_PX && y <= box.bottom + NEAR_MISS_PX;
    });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function decode(data) {
    var n = data.n, lat = new Float64Array(n), lon = new Float64Array(n);
    var a = 0, b = 0, i;
    for (i = 0; i < n; i++) {
      a += data.lat[i]; b += data.lon[i];
      lat[i] = a / data.scale; lon[i] = b / data.scale;
    }
    data.latitudes = lat;
    data.longitudes = lon;
    return data;
  }

  function load(source) {
    if (source.data) return Promise.resolve(source.data.latitudes ? source.data : decode(source.data));
    if (!datasets[source.url]) {
      datasets[source.url] = fetch(source.url, { credentials: "same-origin" })
        .then(function (r) { if (!r.ok) throw new Error("site data " + r.status); return r.json(); })
        .then(decode);
    }
    return datasets[source.url];
  }

  function visibleIndices(maskB64, n) {
    var raw = atob(maskB64), out = [], i;
    for (i = 0; i < n; i++) {
      if (raw.charCodeAt(i >> 3) & (1 << (i & 7))) out.push(i);
    }
    return out;
  }

  function siteType(data, i) { return data.types[data.t.charCodeAt(i) - 48]; }
  function flags(data, i) { return data.f.charCodeAt(i) - 48; }

  function pinSize(large) { return large ? 40 : 30; }

  // A 统战 site's level as a tag on its pin (sitedata.FLAG_NATIONAL, FLAG_MUNICIPAL), and in words.
  function levelTag(f) { return f & 8 ? "国" : f & 16 ? "市" : ""; }
  function levelWords(f) { return f & 8 ? "国家级" : f & 16 ? "市级" : ""; }

  function pinIcon(type, meal, approximate, large, shift, label, level) {
    var size = pinSize(large), dx = shift[0], dy = shift[1];
    var wrap = el("div", "sm-pin" + (meal ? " sm-meal" : "") + (approximate ? " sm-approx" : "") + (large ? " sm-large" : ""));
    if (dx || dy) {
      // A moved pin keeps a thin line to a dot at the site's real position, so the map still tells the
      // truth about where it is (and whether it lies inside a walking circle).
      var leader = el("span", "sm-leader");
      leader.style.width = Math.sqrt(dx * dx + dy * dy) + "px";
      leader.style.transform = "rotate(" + Math.atan2(-dy, -dx) + "rad)";
      var dot = el("span", "sm-leader-dot");
      dot.style.left = (size / 2 - dx) + "px";
      dot.style.top = (size / 2 - dy) + "px";
      wrap.appendChild(leader);
      wrap.appendChild(dot);
    }
    var disc = el("span", "sm-disc", label === undefined ? type[2] : label);
    disc.style.background = type[1];
    wrap.appendChild(disc);
    if (meal) wrap.appendChild(el("span", "sm-meal-badge", "餐"));
    if (level) wrap.appendChild(el("span", "sm-level-badge", level));
    return L.divIcon({
      className: "sm-marker",
      html: wrap,
      iconSize: [size, size],
      // A pin that would cover another is moved aside on screen only (see declutter); its coordinates,
      // and what a click on it reports, stay as given.
      iconAnchor: [size / 2 - dx, size / 2 - dy],
      popupAnchor: [dx, dy - size / 2],
      tooltipAnchor: [dx + size / 2, dy],
    });
  }

  // Where a covered pin may go, in pin widths: beside, above, below, the diagonals, then one further out.
  var SHIFTS = [[0, 0], [1, 0], [-1, 0], [0, -1], [0, 1], [1, -1], [-1, -1], [1, 1], [-1, 1], [2, 0], [-2, 0],
    [0, -2], [0, 2], [2, -1], [-2, -1], [2, 1], [-2, 1]];

  // Pins closer than a pin's width hide each other (a printed list's "5" vanished under "6"). At every
  // zoom, each pin in turn keeps its place if it is free, else takes the first free place around it.
  // Exact positions go first, then meal points, so they stay where they are: the one exact site had been drawn
  // 2 km off its spot beside the rough centre (staff review). An approximate pin moved aside keeps a line to
  // where it is marked; zoomed far out, the move can be more than its own doubt. Where more pins crowd one spot
  // than there are places around it (a city zoomed far out), the rest stay stacked.
  function declutter(map) {
    var pins = (map._smPins || []).filter(function (pin) { return pin.group._map === map; });
    map._smPins = pins;
    var grid = {}, cell = 0;
    pins.forEach(function (pin) { cell = Math.max(cell, pin.size); });
    function free(x, y, size) {
      var gx = Math.floor(x / cell), gy = Math.floor(y / cell), i, j, k, list, other;
      for (i = -1; i <= 1; i++) {
        for (j = -1; j <= 1; j++) {
          list = grid[(gx + i) + "," + (gy + j)] || [];
          for (k = 0; k < list.length; k++) {
            other = list[k];
            var reach = (size + other[2]) / 2;
            if ((other[0] - x) * (other[0] - x) + (other[1] - y) * (other[1] - y) < reach * reach) return false;
          }
        }
      }
      return true;
    }
    var moved = false;
    function rank(pin) { return (pin.exact ? 2 : 0) + (pin.meal ? 1 : 0); }
    pins.slice().sort(function (a, b) { return rank(b) - rank(a); }).forEach(function (pin) {
      var at = map.latLngToLayerPoint(pin.marker.getLatLng()), step = pin.size + 8, shift = [0, 0], k;
      for (k = 0; k < SHIFTS.length; k++) {
        if (free(at.x + SHIFTS[k][0] * step, at.y + SHIFTS[k][1] * step, pin.size)) {
          shift = [SHIFTS[k][0] * step, SHIFTS[k][1] * step];
          break;
        }
      }
      var x = at.x + shift[0], y = at.y + shift[1], key = Math.floor(x / cell) + "," + Math.floor(y / cell);
      (grid[key] = grid[key] || []).push([x, y, pin.size]);
      if (shift[0] || shift[1]) moved = true;
      if (shift[0] !== pin.shift[0] || shift[1] !== pin.shift[1]) {
        pin.shift = shift;
        pin.marker.setIcon(pin.icon(shift));
        // An open popup or tooltip was placed before the pin moved: point it at the pin again.
        if (pin.marker.isPopupOpen()) pin.marker.getPopup().update();
        // Not every pin has a tooltip (none where there is no hover): Leaflet's isTooltipOpen throws then.
        if (pin.marker.getTooltip() && pin.marker.isTooltipOpen()) pin.marker.getTooltip().update();
      }
    });
    // The legend explains the thin lines only while some pin is moved aside (a printed sheet with none
    // listed a mark that was nowhere on it).
    L.DomUtil[moved ? "addClass" : "removeClass"](map.getContainer(), "sm-pins-moved");
  }

  function scheduleDeclutter(map) {
    if (map._smDeclutterQueued) return;
    map._smDeclutterQueued = true;
    // Both layers add their pins in the same task; one pass after both.
    setTimeout(function () { map._smDeclutterQueued = false; declutter(map); }, 0);
    if (!map._smDeclutterOn) {
      map._smDeclutterOn = true;
      map.on("zoomend viewreset", function () { declutter(map); });
    }
  }

  /* The "ask 12345" cell with the hotline as a link a phone dials with one tap; text nodes only. */
  function withHotline(text, hotline) {
    var td = el("td"), at = text.indexOf(hotline), link = el("a", null, hotline);
    link.href = "tel:" + hotline;
    td.appendChild(document.createTextNode(text.slice(0, at)));
    td.appendChild(link);
    td.appendChild(document.createTextNode(text.slice(at + hotline.length)));
    return td;
  }

  // In 大字模式 a popup says what an older reader asks at the pin; the rest is in 站点详情, which the tap opens.
  // With every row, at the large size on a phone it scrolled inside itself, cut off at 电话 (phone review).
  var LARGE_POPUP_ROWS = ["地址", "助餐", "价格", "电话", "开放时间"];

  function popupContent(data, i, large) {
    var type = siteType(data, i);
    var box = el("div", "sm-popup");
    box.appendChild(el("div", "sm-popup-title", data.name[i]));
    box.appendChild(el("div", "sm-popup-type", type[0]));
    var f = flags(data, i);
    if (f & 2) box.appendChild(el("div", "sm-popup-approx", "⚠ " + data.precision[f & 4 ? "area" : "street"]));
    if (data.detail) {
      var table = el("table", "sm-popup-table"), row = data.detail.rows[i], missing = data.detail.missing;
      var asked = [];  // the rows whose value is "not given, ask": in 大字模式 said once, for all of them
      data.detail.labels.forEach(function (label, k) {
        if (large && LARGE_POPUP_ROWS.indexOf(label) < 0) return;
        var value = row[k];
        // sitedata.site_details' rule, sent once: a care service's missing phone or hours is said.
        if (!value && missing && type[3] === missing.layer && missing.labels.indexOf(label) >= 0) value = missing.text;
        if (value === "" || value === null || value === undefined) return;
        if (large && missing && value === missing.text) {
          asked.push(label);
          return;
        }
        var tr = el("tr");
        tr.appendChild(el("th", null, label));
        var ask = missing && missing.hotline && value === missing.text;
        tr.appendChild(ask ? withHotline(value, missing.hotline) : el("td", null, value));
        table.appendChild(tr);
      });
      if (asked.length) {  // one full-width row: "电话、开放时间" as a heading squeezed its text to a column
        var said = withHotline(missing.text, missing.hotline);
        said.colSpan = 2;
        said.insertBefore(el("strong", null, asked.join("、") + "："), said.firstChild);
        var tr = el("tr");
        tr.appendChild(said);
        table.appendChild(tr);
      }
      box.appendChild(table);
      if (large) box.appendChild(el("div", "sm-popup-more", "更多见“站点详情”。"));
    } else {
      box.appendChild(el("div", "sm-popup-more", (f & 1 ? "提供助餐。" : "") + "地址、电话与来源见右侧“站点详情”。"));
    }
    return box;
  }

  /* A popup no wider than the map: at 320 px in a 358 px phone map its text and close button ran off the
   * side. Its content gets the map's width less the popup's own frame (~46 px) and the pan margins (56 px
   * left of the zoom buttons, 5 px right), and a little air. Leaflet reads maxWidth when it lays a popup out,
   * so it is set as each one opens. */
  var WIDE_MAP_PX = 1300; // a meeting room's map, as servicemap.css's rule for its larger legend and popups
  function fitPopupsTo(map) {
    if (map._smPopupsFitted) return;
    map._smPopupsFitted = true;
    map.on("popupopen", function () { L.DomUtil.addClass(map.getContainer(), "sm-popup-open"); });
    map.on("popupclose", function () { L.DomUtil.removeClass(map.getContainer(), "sm-popup-open"); });
    map.on("popupopen", function (e) {
      // Wider on a meeting room's wide map: at 320 px a popup's text ran to 15 lines in a 1,353 px map
      // (meeting-room review).
      var widest = map.getSize().x >= WIDE_MAP_PX ? 460 : 320;
      var width = Math.max(160, Math.min(widest, map.getSize().x - 120));
      // No taller than the map either (it scrolls instead): in 大字模式 on a phone a popup taller than the
      // map panned it 9 km to show the popup's top, leaving the tapped pin and "my location" far out of view.
      var height = Math.max(160, map.getSize().y - 140);
      if (e.popup.options.maxWidth !== width || e.popup.options.maxHeight !== height) {
        e.popup.options.maxWidth = width;
        e.popup.options.minWidth = Math.min(e.popup.options.minWidth || 50, width);
        e.popup.options.maxHeight = height;
        e.popup.update();
      }
    });
  }

  function addPins(group, data, indices, large, numberFrom, labelSite) {
    var pins = [];
    indices.forEach(function (i, position) {
      var type = siteType(data, i), f = flags(data, i), meal = (f & 1) === 1;
      var label = numberFrom ? String(numberFrom + position) : undefined;
      var icon = function (shift) { return pinIcon(type, meal, (f & 2) === 2, large, shift, label, levelTag(f)); };
      var marker = L.marker([data.latitudes[i], data.longitudes[i]], {
        icon: icon([0, 0]),
        title: data.name[i],
        alt: data.name[i],
        keyboard: true,
        zIndexOffset: meal ? 1000 : 0,
      });
      if (CAN_HOVER) marker.bindTooltip(el("span", "sm-tooltip", data.name[i]), { direction: "right" });
      marker.bindPopup(function () { return popupContent(data, i, large); }, popupOptions(large));
      // The site a shared link is about carries its name beside its pin, while it stays the one selected: it
      // was in view but unmarked among the others. A label, not its popup: the popup either moved the map
      // from the link's view or, held in place, opened cut off above the map.
      if (labelSite === i) {
        marker.unbindTooltip();
        marker.bindTooltip(el("span", "sm-tooltip sm-shared-label", data.name[i]), {
          permanent: true, direction: "top", offset: [0, -12],
        });
        // Leaflet centres the label by its size when it opens; measured before the frame had its final size,
        // the label sat 200 px off its pin, now and then. It is placed again whenever its size changes (pans
        // and zooms Leaflet follows itself).
        marker.on("add", function () {
          var place = function () { if (marker._map && marker.getTooltip()) marker.getTooltip().update(); };
          var label = marker.getTooltip() && marker.getTooltip().getElement();
          if (label && window.ResizeObserver) new ResizeObserver(place).observe(label);
        });
      }
      // Enter on a focused marker: Leaflet opens its popup itself (bindPopup's keypress); the page must hear it
      // as the selection a click is. Told to the marker's groups, as a click travels up to them (where the map
      // component listens), not to the marker: a second click on it closed the popup Leaflet had just opened.
      marker.on("keypress", function (e) {
        if (!e.originalEvent || e.originalEvent.key !== "Enter") return;
        var click = { latlng: marker.getLatLng(), layer: marker, sourceTarget: marker, propagatedFrom: marker };
        group.fire("click", click, true);
      });
      // A screen reader heard only the glyph ("阵", "卫"): it hears the site's name, type and meals.
      var spoken = data.name[i] + "，" + levelWords(f) + type[0] + (meal ? "，提供助餐" : "");
      marker.on("add", function () {
        var element = marker.getElement();
        if (!element) return;
        element.setAttribute("aria-label", spoken);
        // Escape closes the popup from the marker too (Leaflet does it only while the map itself has focus).
        element.addEventListener("keydown", function (event) {
          if (event.key === "Escape" && marker.isPopupOpen()) marker.closePopup();
          // Tab from a pin with its popup open goes into the popup: the popups' pane comes after every pin in the
          // page's order, so Tab went on to the next pin and the popup's text and links were out of reach.
          var popup = marker.isPopupOpen() && marker.getPopup().getElement();
          var content = popup && popup.querySelector(".leaflet-popup-content");
          if (event.key === "Tab" && !event.shiftKey && content) {
            event.preventDefault();
            content.setAttribute("tabindex", "-1");
            content.focus({ preventScroll: true });
          }
        });
      });
      // Closed from the keyboard within it (its 关闭 button, or Escape), the popup gives the keyboard back to its
      // marker: focus had fallen to the page's top, and the reader started again from the first control. Not
      // after a tap or a click: focusing the marker pans the map to it, against the pan back to where it was.
      var keyboardClose = false;
      marker.on("popupopen", function (e) {
        var popup = e.popup.getElement();
        keyboardClose = false;
        if (!popup || popup._smKeyboard) return;
        popup._smKeyboard = true;
        popup.addEventListener("keydown", function (event) {
          keyboardClose = event.key === "Escape" || event.key === "Enter" || event.key === " ";
          if (event.key === "Escape") marker.closePopup();
          // And Shift+Tab from its text or its first link (关闭 is its last stop) comes back to the pin it was
          // entered from: from the link (12345) it had gone to the last pin on the map.
          var content = popup.querySelector(".leaflet-popup-content");
          var first = content && content.querySelector("a[href]");
          var leaving = event.target === content || event.target === first;
          if (event.key === "Tab" && event.shiftKey && leaving && marker.getElement()) {
            event.preventDefault();
            marker.getElement().focus({ preventScroll: true });
          }
        });
        popup.addEventListener("pointerdown", function () { keyboardClose = false; });
      });
      marker.on("popupclose", function () {
        var element = marker.getElement();
        if (keyboardClose && element) element.focus({ preventScroll: true });
        keyboardClose = false;
      });
      marker.addTo(group);
      pins.push({ marker: marker, icon: icon, shift: [0, 0], size: pinSize(large), meal: meal, exact: (f & 2) === 0,
        group: group });
    });
    var register = function () {
      var map = group._map;
      map._smPins = (map._smPins || []).concat(pins);
      scheduleDeclutter(map);
      fitPopupsTo(map);
    };
    if (group._map) register(); else group.once("add", register);
  }

  // A popup opens clear of the map's top controls: the zoom buttons on the left, and on the right the
  // 图例 button, which on a phone sat over the popup's close button (a tap on × opened the legend). The top
  // padding is the folded button's height and its 10 px margin, plus a little (larger in 大字模式).
  function popupOptions(large) {
    // Below the tip stay its pin and the scale bar: the pin had gone under the attribution.
    return { maxWidth: 320, autoPanPaddingTopLeft: [56, large ? 72 : 54], autoPanPaddingBottomRight: [16, 64] };
  }

  var canvas = null;
  function addDots(group, data, indices, large) {
    canvas = canvas || L.canvas({ padding: 0.3, tolerance: 3 });
    var radius = large ? 7 : 5;
    indices.forEach(function (i) {
      var type = siteType(data, i), f = flags(data, i), meal = (f & 1) === 1;
      var dot = L.circleMarker([data.latitudes[i], data.longitudes[i]], {
        renderer: canvas,
        radius: meal ? radius + 1 : radius,
        color: meal ? "#f1c40f" : "#ffffff",
        weight: meal ? 3 : 1,
        dashArray: f & 2 ? "2 2" : null,
        fillColor: type[1],
        fillOpacity: 0.9,
      });
      dot._smIndex = i;
      group.addLayer(dot);
    });
    // One shared tooltip and lazily built popups: no per-dot objects beyond the dot itself.
    group.on("mouseover", function (e) {
      if (e.layer._smIndex === undefined || !CAN_HOVER) return;
      e.layer.bindTooltip(el("span", "sm-tooltip", data.name[e.layer._smIndex]), { direction: "right" }).openTooltip();
    });
    group.on("mouseout", function (e) { if (e.layer.unbindTooltip) e.layer.unbindTooltip(); });
    group.on("click", function (e) {
      if (e.layer._smIndex === undefined) return;
      L.popup(popupOptions(large))
        .setLatLng(e.layer.getLatLng())
        .setContent(popupContent(data, e.layer._smIndex, large))
        .openOn(group._map);
    });
  }

  window.servicemapBoundary = function (map, source, style) {
    var draw = function (geometry) { L.geoJSON(geometry, { style: style, interactive: false }).addTo(map); };
    if (source.data) draw(source.data);
    else fetch(source.url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(draw);
  };

  /* On a narrow screen the district view leaves sites outside the frame while the page says "8 处已上图".
   * A map that opened on the default view (options.fit = how many layers this draw has) moves, once, to
   * hold every drawn site when they are not all in view already; a wide screen is left as it is. */
  function fitOnce(group, layers) {
    var map = group._map;
    if (!map || map._smFitDone) return;
    map._smFitCount = (map._smFitCount || 0) + 1;
    if (map._smFitCount < layers) return;
    map._smFitDone = true;
    holdDrawn(map);
  }

  // In view means clear of the zoom buttons' column on the left, the scale and credits at the foot and a
  // pin's width elsewhere: a link with 只看助餐 opened on a phone with its one meal point 15 px from the
  // map's left edge (phone review).
  var CLEAR_TOP_LEFT = [64, 28], CLEAR_BOTTOM_RIGHT = [28, 40];
  function fitTo(map, bounds) {
    map.fitBounds(bounds, { paddingTopLeft: CLEAR_TOP_LEFT, paddingBottomRight: CLEAR_BOTTOM_RIGHT, maxZoom: map.getZoom() });
  }

  function holdDrawn(map) {
    var drawn = [];
    map.eachLayer(function (layer) { if (layer instanceof L.Marker || layer instanceof L.CircleMarker) drawn.push(layer.getLatLng()); });
    if (!drawn.length) return;
    var bounds = L.latLngBounds(drawn);
    var size = map.getSize(), topLeft = CLEAR_TOP_LEFT, bottomRight = CLEAR_BOTTOM_RIGHT;
    var clear = L.latLngBounds(
      map.containerPointToLatLng([topLeft[0], size.y - bottomRight[1]]),
      map.containerPointToLatLng([size.x - bottomRight[0], topLeft[1]])
    );
    if (!clear.contains(bounds)) {
      fitTo(map, bounds);
    }
  }

  /* When none of the drawn sites is in view, the map moves to hold them all (a picked site hidden by a filter
   * had left it zoomed in on an empty street). Once every group of this draw has drawn: the groups of one draw
   * are added to the map together, and each checks, the last one with all of them drawn. */
  function fitIfNoneInView(map) {
    if (!map) return;
    var ready = [];
    map.eachLayer(function (layer) { if (layer._servicemapReady) ready.push(layer._servicemapReady); });
    Promise.all(ready).then(function () {
      var view = map.getBounds(), drawn = [];
      map.eachLayer(function (layer) {
        if (!layer._smShown) return;
        layer.eachLayer(function (point) { if (point.getLatLng) drawn.push(point.getLatLng()); });
      });
      if (drawn.length && !drawn.some(function (point) { return view.contains(point); })) {
        fitTo(map, L.latLngBounds(drawn));
      }
    });
  }

  // The live map is drawn once for every filter, its legend with it: rows of types and layers none of the
  // drawn groups holds are hidden (a 统战-only view explained 养, 院 and the gold meal edge). Until a group
  // has drawn, nothing is hidden.
  function refreshLegend(map) {
    if (!map) return;
    var labels = {}, layers = {}, known = false;
    map.eachLayer(function (layer) {
      if (!layer._smShown) return;
      known = true;
      Object.keys(layer._smShown.labels).forEach(function (k) { labels[k] = true; });
      Object.keys(layer._smShown.layers).forEach(function (k) { layers[k] = true; });
    });
    if (!known) return;
    map.getContainer().querySelectorAll(".sm-legend [data-sm-type]").forEach(function (row) {
      row.style.display = labels[row.getAttribute("data-sm-type")] ? "" : "none";
    });
    map.getContainer().querySelectorAll(".sm-legend [data-sm-layer]").forEach(function (row) {
      row.style.display = layers[row.getAttribute("data-sm-layer")] ? "" : "none";
    });
  }

  function noteShown(group, data, indices) {
    var shown = { labels: {}, layers: {} };
    indices.forEach(function (i) {
      var type = siteType(data, i);
      shown.labels[type[0]] = true;
      shown.layers[type[3]] = true;
    });
    group._smShown = shown;
    if (group._map) refreshLegend(group._map);
    // Leaflet fires "remove" with the group already out of the map's layers and its _map still set.
    group.on("add remove", function () { refreshLegend(group._map); });
  }

  var LARGE_LEGEND_OPEN_PX = 1200;
  window.servicemapShow = function (group, source, mask, options) {
    var large = !!(options && options.large);
    // 大字模式 reaches the whole map (zoom buttons, legend, notes, popups), not only the pins. The group
    // is added to the map after this call, and every rerun sends new groups, so the class follows the mode.
    var markMap = function () {
      var container = group._map.getContainer();
      // Turned large on a map narrower than a wide screen's, the legend folds: at 17 px it covered a third of a
      // 957 px map, the picked site's pin under it (meeting-room review, 1920 x 1080). The reader can open it.
      if (large && !L.DomUtil.hasClass(container, "sm-large-map") && group._map.getSize().x < LARGE_LEGEND_OPEN_PX) {
        var legend = container.querySelector(".sm-legend details");
        if (legend) legend.removeAttribute("open");
      }
      L.DomUtil[large ? "addClass" : "removeClass"](container, "sm-large-map");
    };
    if (group._map) markMap(); else group.once("add", markMap);
    group._servicemapReady = load(source).then(function (data) {
      var indices = visibleIndices(mask, data.n);
      if (options && options.dots) addDots(group, data, indices, large);
      else addPins(group, data, indices, large, options && options.numberFrom, options && options.labelSite);
      noteShown(group, data, indices);
      // Read by the benchmark: how many sites are drawn, and when the last batch finished.
      window.servicemapDrawn = (window.servicemapDrawn || 0) + indices.length;
      window.servicemapDrawnAt = performance.now();
      if (options && options.fit) {
        if (group._map) fitOnce(group, options.fit); else group.once("add", function () { fitOnce(group, options.fit); });
      }
      if (options && options.fitIfNoneInView) {
        if (group._map) fitIfNoneInView(group._map); else group.once("add", function () { fitIfNoneInView(group._map); });
      }
      return indices.length;
    });
  };

  // Leaflet focuses the map on mouse-down; without preventScroll Chromium scrolls a map that is partly
  // below the fold into view, the page jumps under the pointer and the click lands elsewhere.
  L.Map.Keyboard.prototype._onMouseDown = function () {
    if (this._focused) return;
    this._map._container.focus({ preventScroll: true });
  };
  // Metric scale only, and no flag in the attribution: a plain "Leaflet" credit.
  L.Control.Scale.prototype.options.imperial = false;
  // The scale in Chinese ("500 米", "2 公里"): a screen reader read "2 km" out in English in a Chinese page.
  L.Control.Scale.prototype._updateMetric = function (maxMeters) {
    var meters = this._getRoundNum(maxMeters);
    this._updateScale(this._mScale, meters < 1000 ? meters + " 米" : meters / 1000 + " 公里", meters / maxMeters);
  };
  // The library's name is a name: marked English, it is read as one word, not spelt out with Chinese rules.
  L.Control.Attribution.prototype.options.prefix = '<a href="https://leafletjs.com" lang="en">Leaflet</a>';
})();

/* On a touch screen without a mouse, one finger scrolls the page and two move the map, as embedded maps do:
 * the map fills most of a phone's screen, and a swipe meant to scroll the page moved the map 5 km instead,
 * taking "my location" out of view. A one-finger swipe on the map says so for a moment. Taps still work. */
window.servicemapTouchPan = function (map) {
  "use strict";
  if (!window.matchMedia || !window.matchMedia("(hover: none) and (pointer: coarse)").matches) return;
  map.dragging.disable();
  var container = map.getContainer(), timer = null;
  var hint = L.DomUtil.create("div", "sm-touch-hint", container);
  hint.textContent = "用两个手指移动地图";
  // Shown while one finger moves over the map, and a moment after it lifts, so it can be read.
  container.addEventListener("touchmove", function (event) {
    clearTimeout(timer);
    // Two fingers are what the hint asks for: it goes at once (a finger landing first had shown it).
    hint.classList.toggle("sm-touch-hint-on", event.touches.length === 1);
  }, { passive: true });
  container.addEventListener("touchend", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { hint.classList.remove("sm-touch-hint-on"); }, 1500);
  }, { passive: true });
};

/* A popup pans the map to fit; closing it pans back, unless the reader has moved the map meanwhile. On a phone
 * the pan had left the tapped pin at the map's foot and "my location" with its walking circle off the map. */
window.servicemapPopupReturn = function (map) {
  "use strict";
  var before = null, after = null;
  map.on("autopanstart", function () {
    if (!before) before = map.getCenter();
    map.once("moveend", function () { after = map.getCenter(); });
  });
  // A popup that still does not fit once the map stops, or that grows after its pan (its text laid out again),
  // pans again: a popup opened in 大字模式 on a phone was sometimes left running above the map's top (one run
  // in eight of a browser test), its own pan cut short by a second move. A few tries at most, and none after
  // the reader drags or zooms, whose move is theirs.
  map.on("popupopen", function (e) {
    var popup = e.popup, tries = 0;
    var refit = function () {
      var element = popup.getElement();
      if (!element || !map.hasLayer(popup) || tries >= 3 || map._panAnim && map._panAnim._inProgress) return;
      var box = element.getBoundingClientRect(), frame = map.getContainer().getBoundingClientRect();
      if (box.top >= frame.top && box.bottom <= frame.bottom) return;
      tries += 1;
      popup.update();
    };
    var stop = function () { tries = 3; };
    var grown = window.ResizeObserver && popup.getElement() ? new ResizeObserver(function () { refit(); }) : null;
    if (grown) grown.observe(popup.getElement());
    map.on("moveend", refit);
    map.on("dragstart zoomstart", stop);
    popup.once("remove", function () {
      map.off("moveend", refit);
      map.off("dragstart zoomstart", stop);
      if (grown) grown.disconnect();
    });
  });
  map.on("popupclose", function () {
    var untouched = before && after && map.latLngToContainerPoint(after).distanceTo(map.getSize().divideBy(2)) < 2;
    if (untouched) map.panTo(before);
    before = after = null;
  });
};

/* A site picked from the list closes the popup left open on another: the map moved to the new site with the old
   one's popup still open, its title cut off at the map's top, while the panel beside it named the new site
   (meeting-room review). streamlit-folium moves the map for a pick with setView(centre, zoom) and no options;
   Leaflet's own moves and this file's give options, and a popup's own pan does not call setView. */
window.servicemapPopupOnPick = function (map) {
  "use strict";
  var setView = map.setView;
  map.setView = function (center, zoom, options) {
    if (options === undefined && map._popup && map.hasLayer(map._popup)) map.closePopup();
    return setView.apply(this, arguments);
  };
};

/* The map follows its box's size. Leaflet watches the window only, and the box grows without the window changing
   when the page's CSS (which comes after the map is made) gives a tall meeting-room screen a taller map: the map
   went on drawing 560 px of a 720 px box, its fit to the sites and its popups measured against 560. */
window.servicemapFollowSize = function (map) {
  "use strict";
  if (!window.ResizeObserver) return;
  new ResizeObserver(function () { map.invalidateSize({ debounceMoveend: true }); }).observe(map.getContainer());
};

/* Leaflet's own English on the map's buttons ("Zoom in" on hover and to screen readers), said in Chinese. */
window.servicemapChineseControls = function (map) {
  "use strict";
  // The map's own page is Chinese too (declared English, it was read with English rules), and the map, a stop
  // of its own for the keyboard, says what it is and how to reach the pins.
  document.documentElement.lang = "zh-CN";
  map.getContainer().setAttribute("role", "region");
  map.getContainer().setAttribute("aria-label", "站点地图：方向键移动地图，Tab 键逐个选中站点，回车打开说明");
  map.on("popupopen", function (e) {
    var close = e.popup.getElement() && e.popup.getElement().querySelector(".leaflet-popup-close-button");
    if (close) { close.title = "关闭"; close.setAttribute("aria-label", "关闭"); }
  });
  var zoom = map.zoomControl && map.zoomControl.getContainer();
  if (!zoom) return;
  [[".leaflet-control-zoom-in", "放大"], [".leaflet-control-zoom-out", "缩小"]].forEach(function (button) {
    var element = zoom.querySelector(button[0]);
    if (element) { element.title = button[1]; element.setAttribute("aria-label", button[1]); }
  });
};

/* Tell the reader when the basemap cannot load (no internet, blocked tile server): the sites are still right. */
window.servicemapWatchTiles = function (map) {
  "use strict";
  var loaded = 0, failed = 0, notice = null, closed = false, popupOpen = false;
  // While a site's popup is open the notice steps aside: at the map's foot it covered the popup's last lines
  // (its source) and the pins beside the tapped one. Also when the tiles fail only after the popup opened.
  function placeNotice() {
    if (notice) notice.getContainer().style.display = popupOpen ? "none" : "";
  }
  map.on("popupopen", function () { popupOpen = true; placeNotice(); });
  map.on("popupclose", function () { popupOpen = false; placeNotice(); });
  map.eachLayer(function (layer) {
    if (!(layer instanceof L.TileLayer)) return;
    layer.on("tileload", function () {
      loaded += 1;
      if (notice) { notice.remove(); notice = null; }
    });
    layer.on("tileerror", function () {
      failed += 1;
      if (loaded === 0 && failed >= 4 && !notice && !closed) {
        notice = L.control({ position: "bottomleft" });
        notice.onAdd = function () {
          // Plain words for a family. It can be closed (a button, so also from the keyboard): on a phone
          // it may cover a marker.
          var div = L.DomUtil.create("div", "sm-tile-notice");
          div.appendChild(document.createTextNode("地图底图没有加载出来（可能没有连上外网），站点位置不受影响。"));
          var close = L.DomUtil.create("button", "sm-tile-notice-close", div);
          close.type = "button";
          close.textContent = "关闭";
          L.DomEvent.disableClickPropagation(div);
          L.DomEvent.on(close, "click", function () {
            closed = true;  // more failing tiles while panning must not bring it back
            if (notice) { notice.remove(); notice = null; }
          });
          return div;
        };
        notice.addTo(map);
        placeNotice();
      }
    });
  });
};

/* WGS-84 (what a browser's geolocation gives) to GCJ-02 (what AMap's tiles are drawn in): the public
 * formula servicemap/geo.py's wgs84_to_gcj02 uses, line for line (tests/e2e checks the two agree). */
window.servicemapWgs84ToGcj02 = function (lat, lon) {
  "use strict";
  if (lat < 0.8293 || lat > 55.8271 || lon < 72.004 || lon > 137.8347) { return [lat, lon]; }  // outside China
  var a = 6378245.0, ee = 0.00669342162296594323, PI = Math.PI;
  var x = lon - 105.0, y = lat - 35.0;
  var dLat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  dLat += (20.0 * Math.sin(6.0 * x * PI) + 20.0 * Math.sin(2.0 * x * PI)) * 2.0 / 3.0;
  dLat += (20.0 * Math.sin(y * PI) + 40.0 * Math.sin(y / 3.0 * PI)) * 2.0 / 3.0;
  dLat += (160.0 * Math.sin(y / 12.0 * PI) + 320.0 * Math.sin(y * PI / 30.0)) * 2.0 / 3.0;
  var dLon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  dLon += (20.0 * Math.sin(6.0 * x * PI) + 20.0 * Math.sin(2.0 * x * PI)) * 2.0 / 3.0;
  dLon += (20.0 * Math.sin(x * PI) + 40.0 * Math.sin(x / 3.0 * PI)) * 2.0 / 3.0;
  dLon += (150.0 * Math.sin(x / 12.0 * PI) + 300.0 * Math.sin(x / 30.0 * PI)) * 2.0 / 3.0;
  var radLat = lat / 180.0 * PI;
  var magic = 1 - ee * Math.sin(radLat) * Math.sin(radLat);
  var sqrtMagic = Math.sqrt(magic);
  dLat = (dLat * 180.0) / ((a * (1 - ee)) / (magic * sqrtMagic) * PI);
  dLon = (dLon * 180.0) / (a / sqrtMagic * Math.cos(radLat) * PI);
  return [lat + dLat, lon + dLon];
};

/* 定位到我: asks the browser for its position and reports it as a map click, which the app reads as
 * "my location" while the reader is choosing one. Nothing leaves the browser but that point.
 * The browser gives WGS-84; on a GCJ-02 basemap (高德) the point is shifted into the map's own system first,
 * as every click there is in it: taken as it came, it landed about 530 m from the reader. */
window.servicemapLocateControl = function (map, crs) {
  "use strict";
  var control = L.control({ position: "topleft" });
  control.onAdd = function () {
    var button = L.DomUtil.create("button", "sm-locate");
    button.type = "button";
    button.textContent = "定位到我";
    button.title = "使用浏览器定位，设为“我的位置”";
    L.DomEvent.disableClickPropagation(button);
    L.DomEvent.on(button, "click", function () {
      button.textContent = "正在定位…";
      map.locate({ setView: false, enableHighAccuracy: true });
    });
    map.on("locationfound", function (e) {
      button.textContent = "定位到我";
      var shown = crs === "GCJ02" ? window.servicemapWgs84ToGcj02(e.latlng.lat, e.latlng.lng) : [e.latlng.lat, e.latlng.lng];
      var point = L.latLng(shown[0], shown[1]);
      // As Leaflet's own setView does: the reported accuracy in view, at most zoom 14, which holds a
      // 15-minute circle (about 2 km across) on a phone; at 15 it overflowed the frame.
      map.setView(point, Math.min(map.getBoundsZoom(point.toBounds(e.accuracy * 2)), 14));
      map.fire("click", { latlng: point });
    });
    map.on("locationerror", function () {
      button.textContent = "定位失败：请在地图上点选";
    });
    return button;
  };
  control.addTo(map);
};
