/* 卢街颐养 map layer: draws sites from a compact JSON payload.
 *
 * Every string from the data reaches the page through textContent or createTextNode, never through
 * innerHTML, so a name like "<img onerror=...>" shows as text and runs nothing.
 */
(function () {
  "use strict";

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function markerIcon(type, meal, approximate, large, nudge) {
    var size = large ? 40 : 30;
    var wrap = el("div", "sm-pin" + (meal ? " sm-meal" : "") + (approximate ? " sm-approx" : ""));
    var disc = el("span", "sm-disc", type.glyph);
    disc.style.background = type.colour;
    wrap.appendChild(disc);
    if (meal) wrap.appendChild(el("span", "sm-meal-badge", "餐"));
    return L.divIcon({
      className: "sm-marker",
      html: wrap,
      iconSize: [size, size],
      // Sites sharing one position are fanned out sideways on screen only; their coordinates stay as given.
      iconAnchor: [size / 2 - nudge * (size + 4), size / 2],
      popupAnchor: [0, -size / 2],
      tooltipAnchor: [size / 2, 0],
    });
  }

  function popupContent(payload, row) {
    var f = payload.fields;
    var box = el("div", "sm-popup");
    box.appendChild(el("div", "sm-popup-title", row[f.name]));
    var type = payload.types[row[f.type]];
    box.appendChild(el("div", "sm-popup-type", type.label));
    if (row[f.approx]) box.appendChild(el("div", "sm-popup-approx", "⚠ 位置为近似：" + payload.precision[row[f.precision]]));
    var table = el("table", "sm-popup-table");
    payload.details.forEach(function (pair) {
      var value = row[f[pair[0]]];
      if (value === "" || value === null || value === undefined) return;
      var tr = el("tr");
      tr.appendChild(el("th", null, pair[1]));
      tr.appendChild(el("td", null, value));
      table.appendChild(tr);
    });
    box.appendChild(table);
    return box;
  }

  // Leaflet focuses the map on mouse-down; without preventScroll Chromium scrolls a map that is partly
  // below the fold into view, the page jumps under the pointer and the click lands elsewhere.
  L.Map.Keyboard.prototype._onMouseDown = function () {
    if (this._focused) return;
    this._map._container.focus({ preventScroll: true });
  };
  // Metric scale only, and no flag in the attribution: a plain "Leaflet" credit.
  L.Control.Scale.prototype.options.imperial = false;
  L.Control.Attribution.prototype.options.prefix = '<a href="https://leafletjs.com">Leaflet</a>';

  window.servicemapAddSites = function (group, payload) {
    var f = payload.fields;
    var placed = group._servicemapPlaced || (group._servicemapPlaced = {});
    payload.rows.forEach(function (row) {
      var type = payload.types[row[f.type]];
      var spot = row[f.lat] + "," + row[f.lon];
      var nudge = placed[spot] || 0;
      placed[spot] = nudge + 1;
      var meal = row[f.meal] === "yes";
      var marker = L.marker([row[f.lat], row[f.lon]], {
        icon: markerIcon(type, meal, row[f.approx], payload.large, nudge),
        zIndexOffset: meal ? 1000 : 0,
        title: row[f.name],
        alt: row[f.name],
        keyboard: true,
      });
      marker.bindTooltip(el("span", "sm-tooltip", row[f.name]), { direction: "right" });
      marker.bindPopup(function () { return popupContent(payload, row); }, {
        maxWidth: 320,
        autoPanPaddingTopLeft: [56, 24], // keep the title clear of the zoom buttons
      });
      // Enter on a focused marker selects it, as a click does (Leaflet reports it as keypress).
      marker.on("keypress", function (e) {
        if (e.originalEvent && e.originalEvent.key === "Enter") marker.fire("click", { latlng: marker.getLatLng() });
      });
      marker.servicemapId = row[f.id];
      marker.addTo(group);
    });
  };
})();

/* Tell the reader when the basemap cannot load (no internet, blocked tile server): the sites are still right. */
window.servicemapWatchTiles = function (map) {
  "use strict";
  var loaded = 0, failed = 0, notice = null;
  map.eachLayer(function (layer) {
    if (!(layer instanceof L.TileLayer)) return;
    layer.on("tileload", function () {
      loaded += 1;
      if (notice) { notice.remove(); notice = null; }
    });
    layer.on("tileerror", function () {
      failed += 1;
      if (loaded === 0 && failed >= 4 && !notice) {
        notice = L.control({ position: "bottomleft" });
        notice.onAdd = function () {
          var div = L.DomUtil.create("div", "sm-tile-notice");
          div.textContent = "底图无法加载（可能没有外网）。站点位置不受影响；也可在侧栏选择“无底图”。";
          return div;
        };
        notice.addTo(map);
      }
    });
  });
};
