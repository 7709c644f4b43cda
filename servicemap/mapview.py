"""Registry rows -> folium map pieces. No Streamlit here: the page decides how to show them.

Sites are not drawn as one folium.Marker each. They travel as one compact JSON payload that
static/servicemap.js turns into markers; that keeps the page small, and every data string reaches
the browser through textContent, so nothing in the data can become HTML.
"""

from __future__ import annotations

import html
import json
import math
from dataclasses import dataclass

import folium
import pandas as pd
from branca.element import Element, MacroElement
from jinja2 import Template

from servicemap import vocab
from servicemap.basemaps import (
    BASEMAPS,
    DEFAULT_BASEMAP,
    Basemap,
    geometry_for_display,
    sites_for_display,
    to_display,
)

LEAFLET_VERSION = "1.9.4"


@dataclass(frozen=True)
class View:
    """A map view as the share link carries it: centre in WGS-84 and a zoom level."""

    lat: float
    lon: float
    zoom: int


# Centre between the Lugouqiao service centre and the district's eastern sites, wide enough for all.
DEFAULT_VIEW = View(39.845, 116.285, 12)
MIN_ZOOM, MAX_ZOOM = 3, 19


# Popup rows: (payload field, Chinese label), in reading order.
POPUP_DETAILS = (
    ("type_label", "类型"),
    ("level_label", "级别"),
    ("address", "地址"),
    ("meal_label", "助餐"),
    ("beds", "床位"),
    ("phone", "电话"),
    ("hours", "开放时间"),
    ("source", "来源"),
)
PAYLOAD_FIELDS = (
    "id", "lat", "lon", "name", "type", "meal", "approx", "precision",
    "type_label", "level_label", "address", "meal_label", "beds", "phone", "hours", "source",
)  # fmt: skip


class OfflineMap(folium.Map):
    """A folium map whose JavaScript and CSS come from the app's own static files, not from CDNs."""

    def __init__(self, *args, static_base: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Instance attributes shadow folium's class-level CDN lists; only Leaflet and our own files load.
        self.default_js = [
            ("leaflet", f"{static_base}leaflet/leaflet.js"),
            ("servicemap", f"{static_base}servicemap.js"),
        ]
        self.default_css = [
            ("leaflet_css", f"{static_base}leaflet/leaflet.css"),
            ("servicemap_css", f"{static_base}servicemap.css"),
        ]


class SitePoints(MacroElement):
    """Adds the sites of one payload to its parent FeatureGroup through servicemapAddSites()."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "servicemapAddSites({{ this._parent.get_name() }}, {{ this.payload_json }});"
        "{% endmacro %}"
    )

    def __init__(self, payload: dict) -> None:
        super().__init__()
        self._name = "SitePoints"
        self.payload_json = script_safe_json(payload)
        self.site_count = len(payload["rows"])


class Legend(MacroElement):
    """A legend control, built from the vocabulary (escaped all the same)."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "(function(){var legend = L.control({position: 'topright'});"
        "legend.onAdd = function(map){var d = L.DomUtil.create('div', 'sm-legend');"
        "d.innerHTML = {{ this.html_json }}; L.DomEvent.disableClickPropagation(d);"
        # A narrow map starts with the legend folded, so it does not hide the sites.
        "if (map.getSize().x < 640) { d.querySelector('details').removeAttribute('open'); }"
        "return d;};"
        "legend.addTo({{ this._parent.get_name() }});"
        "if (window.servicemapWatchTiles) { servicemapWatchTiles({{ this._parent.get_name() }}); }})();"
        "{% endmacro %}"
    )

    def __init__(self, type_codes: list[str]) -> None:
        super().__init__()
        self._name = "Legend"
        self.html_json = script_safe_json(legend_html(type_codes))


def script_safe_json(value: object) -> str:
    """JSON that can sit inside a <script> element: '<' is escaped so no '</script>' can close it.

    Chinese stays as UTF-8 (3 bytes a character) instead of \\uXXXX (6 bytes).
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def legend_html(type_codes: list[str]) -> str:
    rows = ['<details open><summary class="sm-legend-title">图例</summary>']
    for code in type_codes:
        site_type = vocab.SITE_TYPES[code]
        rows.append(
            '<div class="sm-legend-row"><span class="sm-legend-swatch" style="background:'
            f'{html.escape(site_type.colour)}">{html.escape(site_type.glyph)}</span>'
            f"{html.escape(site_type.label)}</div>"
        )
    rows.append('<div class="sm-legend-row"><span class="sm-legend-swatch sm-meal"></span>金色粗边：提供助餐</div>')
    rows.append('<div class="sm-legend-row"><span class="sm-legend-swatch sm-approx"></span>虚线边：位置为近似</div>')
    rows.append("</details>")
    return "".join(rows)


def types_in(sites: pd.DataFrame) -> list[str]:
    """Type codes present in `sites`, in vocabulary order."""
    present = set(sites["type"])
    return [code for code in vocab.SITE_TYPES if code in present]


def site_payload(sites: pd.DataFrame, *, large: bool = False) -> dict:
    """The compact description of the placed sites that static/servicemap.js draws."""
    placed = sites.loc[sites["lat"].notna()]
    rows = [
        [
            site.id,
            round(site.lat, 6),
            round(site.lon, 6),
            site.name,
            site.type,
            site.meal_service,
            int(site.precision != "exact"),
            site.precision,
            vocab.type_label(site.type),
            vocab.LEVELS.get(site.level, ""),
            site.address,
            vocab.MEAL_SERVICE.get(site.meal_service, site.meal_service),
            "" if pd.isna(site.beds) else f"{int(site.beds)} 张",
            site.phone,
            site.hours,
            site.source,
        ]
        for site in placed.itertuples(index=False)
    ]
    used_types = types_in(placed)
    return {
        "fields": {name: i for i, name in enumerate(PAYLOAD_FIELDS)},
        "types": {
            code: {
                "label": vocab.SITE_TYPES[code].label,
                "colour": vocab.SITE_TYPES[code].colour,
                "glyph": vocab.SITE_TYPES[code].glyph,
            }
            for code in used_types
        },
        "precision": dict(vocab.PRECISIONS),
        "details": [list(pair) for pair in POPUP_DETAILS],
        "large": large,
        "rows": rows,
    }


BOUNDARY_STYLE = {"color": "#7b241c", "weight": 2.5, "dashArray": "6 4", "fill": True, "fillOpacity": 0.03}


def build_base_map(
    view: View,
    *,
    basemap: Basemap = BASEMAPS[DEFAULT_BASEMAP],
    boundary: dict | None = None,
    static_base: str = "/app/static/",
    height: int = 560,
    legend_types: list[str] | None = None,
) -> OfflineMap:
    """The map frame: view, tiles, district boundary, legend. Filters never change it, so it never re-mounts.

    `view` is WGS-84 and `boundary` a WGS-84 GeoJSON geometry; both are drawn in the basemap's system.
    `legend_types` are the type codes the legend explains (default: the whole vocabulary); pass the
    registry's types so the legend stays short and the same whatever the filters.
    """
    centre = to_display(view.lat, view.lon, basemap.crs)
    fmap = OfflineMap(
        location=list(centre),
        zoom_start=view.zoom,
        tiles=None,
        static_base=static_base,
        control_scale=True,
        height=height,
        min_zoom=MIN_ZOOM,
        max_zoom=MAX_ZOOM,
    )
    if basemap.tiles:
        folium.TileLayer(
            basemap.tiles,
            attr=basemap.attribution,
            name=basemap.label,
            max_zoom=MAX_ZOOM,
            max_native_zoom=basemap.max_zoom,
            subdomains=basemap.subdomains,
        ).add_to(fmap)
    else:
        fmap.get_root().header.add_child(
            Element("<style>.leaflet-container{background:#f3f1ec;}</style>"), name="blank_background"
        )
    if boundary is not None:
        shown = geometry_for_display(boundary, basemap.crs)
        folium.GeoJson(
            {"type": "Feature", "properties": {"name": "丰台区"}, "geometry": shown},
            name="丰台区界",
            style_function=lambda _feature: BOUNDARY_STYLE,
            zoom_on_click=False,
            tooltip=folium.Tooltip("丰台区界"),
        ).add_to(fmap)
    Legend(legend_types if legend_types is not None else list(vocab.SITE_TYPES)).add_to(fmap)
    return fmap


def build_site_layers(sites: pd.DataFrame, *, large: bool = False) -> list[folium.FeatureGroup]:
    """One FeatureGroup per registry layer present in `sites`, named in Chinese."""
    groups = []
    for layer, label in vocab.LAYERS.items():
        in_layer = sites.loc[sites["layer"] == layer]
        if in_layer.empty:
            continue
        group = folium.FeatureGroup(name=label)
        SitePoints(site_payload(in_layer, large=large)).add_to(group)
        groups.append(group)
    return groups


def build_map(
    sites: pd.DataFrame,
    view: View = DEFAULT_VIEW,
    *,
    basemap: Basemap = BASEMAPS[DEFAULT_BASEMAP],
    boundary: dict | None = None,
    static_base: str = "/app/static/",
) -> OfflineMap:
    """A complete map (frame plus site layers) for tests and exports; `sites` are WGS-84."""
    fmap = build_base_map(
        view, basemap=basemap, boundary=boundary, static_base=static_base, legend_types=types_in(sites)
    )
    for group in build_site_layers(sites_for_display(sites, basemap.crs)):
        group.add_to(fmap)
    return fmap


def marker_count(fmap: folium.Map) -> int:
    """Sites a built map will draw."""
    return sum(child.site_count for child in _walk(fmap) if isinstance(child, SitePoints))


def _walk(element):  # noqa: ANN001, ANN202 - folium elements are untyped
    yield element
    for child in element._children.values():
        yield from _walk(child)


def sites_at(sites: pd.DataFrame, lat: float, lon: float, tolerance: float = 2e-6) -> pd.DataFrame:
    """Sites drawn at a clicked marker position (Leaflet reports a marker's own position on click)."""
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return sites.iloc[0:0]
    near = ((sites["lat"] - lat).abs() <= tolerance) & ((sites["lon"] - lon).abs() <= tolerance)
    return sites.loc[near]
