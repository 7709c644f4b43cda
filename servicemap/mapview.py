"""Registry rows -> folium map pieces. No Streamlit here: the page decides how to show them.

Sites are not drawn as one folium.Marker each. They travel as one compact dataset (sitedata.py),
published once, plus a bit mask per filter; static/servicemap.js turns them into markers. That keeps
reruns small, and every data string reaches the browser through textContent, so nothing in the data
can become HTML.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from typing import Any, TypeVar, cast

import folium
import pandas as pd
from branca.element import Element, Figure, MacroElement
from jinja2 import Template

from servicemap import sitedata, vocab
from servicemap.basemaps import (
    BASEMAPS,
    DEFAULT_BASEMAP,
    Basemap,
    geometry_for_display,
    sites_for_display,
    to_display,
)
from servicemap.textsafe import script_safe_json
from servicemap.viewport import DEFAULT_VIEW, MAX_ZOOM, MIN_ZOOM, View, reach_bounds

PIN_LIMIT = 1500  # more visible sites than this are drawn as canvas dots: DOM pins get slow beyond it


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
    """Draws the masked sites of a published dataset into its parent FeatureGroup (static/servicemap.js).

    `source` is {"url": ...} for a published dataset file or {"data": ...} to carry it inline.
    """

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "servicemapShow({{ this._parent.get_name() }}, {{ this.source_json }}, {{ this.mask_json }},"
        " {{ this.options_json }});"
        "{% endmacro %}"
    )

    def __init__(
        self,
        source: dict,
        mask: str,
        site_count: int,
        *,
        large: bool = False,
        dots: bool = False,
        number_from: int | None = None,
        fit_layers: int = 0,
        fit_if_none_in_view: bool = False,
        labelled_site: int | None = None,
    ) -> None:
        super().__init__()
        self._name = "SitePoints"
        self.source_json = script_safe_json(source)
        self.mask_json = script_safe_json(mask)
        options = {
            "large": large, "dots": dots, "numberFrom": number_from, "fit": fit_layers, "labelSite": labelled_site
        }  # fmt: skip
        if fit_if_none_in_view:  # rarely: not sent otherwise, as every rerun sends these options again
            options["fitIfNoneInView"] = True
        self.options_json = script_safe_json(options)
        self.site_count = site_count


# Narrower than this, a map starts with its legend folded (open, it covers a third of a 590 px map column,
# pins included), and the offline and print files frame their sites without room for it.
NARROW_MAP_PX = 640


class Legend(MacroElement):
    """A legend control, built from the vocabulary (escaped all the same)."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "(function(){var legend = L.control({position: 'topright'});"
        "legend.onAdd = function(map){var d = L.DomUtil.create('div', 'sm-legend');"
        "d.innerHTML = {{ this.html_json }}; L.DomEvent.disableClickPropagation(d);"
        # A narrow map starts with the legend folded, so it does not hide the sites.
        "var details = d.querySelector('details');"
        "if (map.getSize().x < {{ this.narrow_px }}) { details.removeAttribute('open'); }"
        # The last asked for comes first: a popup opening folds the legend rather than be covered by it (and its
        # close button), and the legend opened over a popup closes the popup (it covered the popup's text).
        "map.on('popupopen', function(){ details.removeAttribute('open'); });"
        "details.addEventListener('toggle', function(){ if (details.open) { map.closePopup(); } });"
        "return d;};"
        "legend.addTo({{ this._parent.get_name() }});"
        "if (window.servicemapWatchTiles) { servicemapWatchTiles({{ this._parent.get_name() }}); }"
        "if (window.servicemapTouchPan) { servicemapTouchPan({{ this._parent.get_name() }}); }"
        "if (window.servicemapChineseControls) { servicemapChineseControls({{ this._parent.get_name() }}); }"
        "if (window.servicemapPopupReturn) { servicemapPopupReturn({{ this._parent.get_name() }}); }"
        "if (window.servicemapFollowSize) { servicemapFollowSize({{ this._parent.get_name() }}); }"
        "if (window.servicemapPopupOnPick) { servicemapPopupOnPick({{ this._parent.get_name() }}); }})();"
        "{% endmacro %}"
    )

    def __init__(self, type_codes: list[str]) -> None:
        super().__init__()
        self._name = "Legend"
        self.html_json = script_safe_json(legend_html(type_codes))
        self.narrow_px = NARROW_MAP_PX


class Boundary(MacroElement):
    """The district boundary as a context layer, drawn by static/servicemap.js from a file or inline data.

    A file keeps ~30 KB of coordinates out of every rerun; it is not clickable, so clicks reach the sites.
    """

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "servicemapBoundary({{ this._parent.get_name() }}, {{ this.source_json }}, {{ this.style_json }});"
        "{% endmacro %}"
    )

    def __init__(self, source: dict) -> None:
        super().__init__()
        self._name = "Boundary"
        self.source_json = script_safe_json(source)
        self.style_json = script_safe_json(BOUNDARY_STYLE)


def legend_html(type_codes: list[str]) -> str:
    rows = ['<details open><summary class="sm-legend-title">图例</summary>']
    for code in type_codes:
        site_type = vocab.SITE_TYPES[code]
        # data-sm-type / data-sm-layer: the live map, drawn once for every filter, hides the rows of what the
        # filters leave off it (static/servicemap.js, refreshLegend): a 统战-only view explained 养, 院 and 餐.
        rows.append(
            f'<div class="sm-legend-row" data-sm-type="{html.escape(site_type.label)}">'
            '<span class="sm-legend-swatch" style="background:'
            f'{html.escape(site_type.colour)}">{html.escape(site_type.glyph)}</span>'
            f"{html.escape(site_type.label)}</div>"
        )
    # Meals are the care layer's: a 统战 sheet's legend explained a gold edge no pin on it had.
    if any(vocab.SITE_TYPES[code].layer == vocab.CARE_LAYER for code in type_codes):
        rows.append(
            f'<div class="sm-legend-row" data-sm-layer="{vocab.CARE_LAYER}">'
            '<span class="sm-legend-swatch sm-meal"></span>金色粗边：提供助餐</div>'
        )
    if any(vocab.SITE_TYPES[code].layer == vocab.UNITED_FRONT_LAYER for code in type_codes):
        rows.append(
            f'<div class="sm-legend-row" data-sm-layer="{vocab.UNITED_FRONT_LAYER}">'
            '<span class="sm-legend-swatch sm-level">国</span>角标“国”“市”：国家级、市级统战工作阵地</div>'
        )
    rows.append('<div class="sm-legend-row"><span class="sm-legend-swatch sm-approx"></span>虚线边：位置为近似</div>')
    # Readers took the district line for the street's: it is named, since no street boundary is drawn.
    rows.append('<div class="sm-legend-row"><span class="sm-legend-swatch sm-district"></span>红色虚线：丰台区界</div>')
    # Shown only while some pin is moved aside (static/servicemap.js marks the map sm-pins-moved).
    rows.append(
        '<div class="sm-legend-row sm-legend-moved"><span class="sm-legend-swatch sm-moved"></span>'
        "细线和小圆点：标记已挪开以免重叠，圆点为实际位置</div>"
    )
    # Shown only while "my location" is drawn: a family asked what the red dot and circle were.
    rows.append(
        '<div class="sm-legend-row sm-legend-near"><span class="sm-legend-swatch sm-near"></span>'
        "红点和红圈：我的位置和步行圈（直线距离）</div>"
    )
    rows.append("</details>")
    return "".join(rows)


def types_in(sites: pd.DataFrame) -> list[str]:
    """Type codes present in `sites`, in vocabulary order."""
    present = set(sites["type"].unique())
    return [code for code in vocab.SITE_TYPES if code in present]


BOUNDARY_STYLE = {
    "color": "#7b241c",
    "weight": 2.5,
    "dashArray": "6 4",
    "fill": True,
    "fillOpacity": 0.03,
    "interactive": False,
    "className": "sm-boundary",
}


def build_base_map(
    view: View,
    *,
    basemap: Basemap = BASEMAPS[DEFAULT_BASEMAP],
    boundary: dict | None = None,
    static_base: str = "/app/static/",
    height: int | str = 560,  # pixels, or a CSS length such as "84vh"
    legend_types: list[str] | None = None,
    locate: bool = False,
) -> OfflineMap:
    """The map frame: view, tiles, boundary, legend, and with `locate` a 定位到我 button.

    Filters never change it, so it never re-mounts.

    `view` is WGS-84, drawn in the basemap's system. `boundary` says where the district boundary, already
    in the basemap's system, comes from: {"url": ...} for a published file or {"data": geometry}.
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
        cast(Figure, fmap.get_root()).header.add_child(
            Element("<style>.leaflet-container{background:#f3f1ec;}</style>"), name="blank_background"
        )
    if boundary is not None:
        Boundary(boundary).add_to(fmap)
    Legend(legend_types if legend_types is not None else list(vocab.SITE_TYPES)).add_to(fmap)
    if locate:
        LocateControl(basemap.crs).add_to(fmap)
    return fmap


@dataclass(frozen=True)
class LayerMask:
    """Which sites of one registry layer are drawn: a bit mask over the published dataset."""

    layer: str
    mask: str  # sitedata.visibility_mask
    count: int


def layer_masks(registry: pd.DataFrame, shown: pd.DataFrame) -> list[LayerMask]:
    """Per registry layer with placed sites shown, the mask that draws them.

    `registry` is every site (the published dataset was built from it), `shown` those passing the filters.
    """
    masks = []
    placed = shown["lat"].notna().to_numpy()
    layers = shown["layer"].to_numpy()
    for layer in vocab.LAYERS:
        # Index labels only: copying every column of the shown rows would cost more than the rest.
        in_layer = shown.index[(layers == layer) & placed]
        if not in_layer.empty:
            masks.append(LayerMask(layer, sitedata.visibility_mask(registry, in_layer), len(in_layer)))
    return masks


def site_layers(
    masks: list[LayerMask],
    source: dict,
    *,
    large: bool = False,
    numbered_from: int | None = None,
    fit_if_hidden: bool = False,
    fit_if_none_in_view: bool = False,
    labelled_site: int | None = None,
) -> list[folium.FeatureGroup]:
    """One FeatureGroup per masked layer, named in Chinese, drawing from the dataset in `source`.

    With `numbered_from`, pins carry running numbers (layer by layer) instead of type glyphs, for print.
    With `fit_if_hidden`, a map that cannot show every drawn site (a phone on the district view) moves once
    to hold them all. With `fit_if_none_in_view`, this draw moves the map to hold its sites if none of them is in
    view. With `labelled_site` (a site's place in the dataset), that site's name stands beside its pin:
    a link about a site opened with the site in view but unmarked among the others.
    """
    groups = []
    # One look for the whole map: pins while they stay readable and cheap, canvas dots beyond.
    dots = sum(m.count for m in masks) > PIN_LIMIT
    fit_layers = len(masks) if fit_if_hidden else 0
    for layer_mask in masks:
        group = folium.FeatureGroup(name=vocab.LAYERS[layer_mask.layer])
        points = SitePoints(
            source, layer_mask.mask, layer_mask.count, large=large, dots=dots, number_from=numbered_from,
            fit_layers=fit_layers, fit_if_none_in_view=fit_if_none_in_view, labelled_site=labelled_site,
        )  # fmt: skip
        points.add_to(group)
        if numbered_from is not None:
            numbered_from += layer_mask.count
        groups.append(group)
    return groups


def build_site_layers(
    registry: pd.DataFrame,
    shown: pd.DataFrame,
    source: dict,
    *,
    large: bool = False,
    numbered_from: int | None = None,
) -> list[folium.FeatureGroup]:
    """The site layers for `shown`, drawn from `source` (a dataset of `registry`): layer_masks + site_layers."""
    return site_layers(layer_masks(registry, shown), source, large=large, numbered_from=numbered_from)


def build_map(
    sites: pd.DataFrame,
    view: View = DEFAULT_VIEW,
    *,
    basemap: Basemap = BASEMAPS[DEFAULT_BASEMAP],
    boundary: dict | None = None,
    static_base: str = "/app/static/",
    height: int | str = 560,
    numbered_from: int | None = None,
) -> OfflineMap:
    """A complete, self-contained map: the frame, the site layers and their data inline, as the offline and
    print files carry it. `sites` and `boundary` are WGS-84; both are drawn in the basemap's system."""
    boundary_source = None if boundary is None else {"data": geometry_for_display(boundary, basemap.crs)}
    fmap = build_base_map(
        view,
        basemap=basemap,
        boundary=boundary_source,
        static_base=static_base,
        height=height,
        legend_types=types_in(sites.loc[sites["lat"].notna()]),  # the legend explains what is drawn
    )
    displayed = sites_for_display(sites, basemap.crs)
    source = {"data": sitedata.dataset(displayed)}
    for group in build_site_layers(displayed, displayed, source, numbered_from=numbered_from):
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
    """Sites drawn at a clicked marker position (Leaflet reports a marker's own position on click), the
    nearest first: with `separate_shared_positions`, that is the marker clicked."""
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return sites.iloc[0:0]
    near = sites.loc[((sites["lat"] - lat).abs() <= tolerance) & ((sites["lon"] - lon).abs() <= tolerance)]
    offset = (near["lat"] - lat).abs() + (near["lon"] - lon).abs()
    return near.loc[offset.sort_values(kind="stable").index]


# Between markers that share one position: 2e-6 degree, about 0.2 m, less than a pixel at the closest zoom,
# and more than the 1e-6 degree the browser's dataset rounds positions to.
SHARED_POSITION_STEP = 2e-6


def separate_shared_positions(sites: pd.DataFrame) -> pd.DataFrame:
    """The sites with each one after the first at a shared position moved north by SHARED_POSITION_STEP
    times its place in the group, so every marker reports its own position when clicked. Approximate
    positions are often shared (the service centre and the health centre "一门之隔" are one estimate), and
    a click on the second marker selected the first. The registry keeps the positions as given."""
    placed = sites["lat"].notna()
    shared = placed & sites.duplicated(["lat", "lon"], keep=False)
    if not shared.any():
        return sites
    rank = sites.loc[shared].groupby(["lat", "lon"], sort=False).cumcount()
    moved = sites.copy()
    moved.loc[rank.index, "lat"] = sites.loc[rank.index, "lat"] + rank * SHARED_POSITION_STEP
    return moved


def co_located(sites: pd.DataFrame) -> dict[int, list[int]]:
    """For each placed site sharing its exact position with others: the row labels of those others.

    Approximate positions are often shared (a street's or an area's centre), and the pins then overlap.
    """
    placed = sites.loc[sites["lat"].notna(), ["lat", "lon"]]
    shared = placed.loc[placed.duplicated(keep=False)]  # grouping only these keeps 100,000 sites fast
    groups = shared.groupby(["lat", "lon"], sort=False).groups
    return {
        label: [other for other in labels if other != label]
        for labels in groups.values()
        if len(labels) > 1
        for label in labels
    }


_Circle = TypeVar("_Circle", folium.Circle, folium.CircleMarker)
# Not interactive either, which folium drops from a path's style: _not_interactive says it.
REACH_STYLE: dict[str, Any] = {"color": "#c0392b", "weight": 2, "fill": True, "fillOpacity": 0.08}
COVERAGE_STYLE: dict[str, Any] = {"color": "#b7950b", "weight": 1, "fill": True, "fillOpacity": 0.06}
COVERAGE_CIRCLE_LIMIT = 2000  # more meal points than this: the coverage metric still counts, circles are not drawn


# Room at a kept view's edges: a pin in 大字模式 is 40 px, and one moved aside sits beside it.
KEEP_IN_VIEW_PAD_PX = 56


class KeepInView(MacroElement):
    """Moves the map once, in the browser, so `bounds` are in view with room for a pin at each edge, when
    they are not already: the server picks the view for a phone-sized map, but a map can be narrower (a
    150%-zoomed laptop with the sidebar open left the nearest meal point at its edge, the pin beside it
    cut off). Once per map and per bounds: a later rerun with the same bounds leaves a panned map alone."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "(function(){var group = {{ this._parent.get_name() }}, bounds = L.latLngBounds({{ this.bounds_json }}),"
        " key = {{ this.key_json }}, pad = {{ this.pad }};"
        "function keep(){var map = group._map; if (!map || map._smKeptInView === key) return;"
        " map._smKeptInView = key; var size = map.getSize(),"
        " nw = map.latLngToContainerPoint(bounds.getNorthWest()),"
        " se = map.latLngToContainerPoint(bounds.getSouthEast());"
        " if (nw.x < pad || nw.y < pad || se.x > size.x - pad || se.y > size.y - pad)"
        " map.fitBounds(bounds, {padding: [pad, pad], maxZoom: map.getZoom(), animate: false});}"
        "if (group._map) keep(); else group.once('add', keep);"
        "})();"
        "{% endmacro %}"
    )

    def __init__(self, bounds: list[list[float]], pad_px: int = KEEP_IN_VIEW_PAD_PX) -> None:
        super().__init__()
        self._name = "KeepInView"
        self.bounds_json = script_safe_json(bounds)
        self.key_json = script_safe_json(",".join(f"{v:.6f}" for corner in bounds for v in corner))
        self.pad = int(pad_px)


def build_reach_layer(
    point: tuple[float, float] | None,
    radius_m: float,
    coverage_centres: list[tuple[float, float]] | None = None,
    keep_in_view: tuple[tuple[float, float], ...] | None = None,
) -> folium.FeatureGroup | None:
    """The walking circle around "my location" and, optionally, every meal point's circle. With
    `keep_in_view` (points, e.g. the nearest meal point), the circle and those points are kept in view.

    Points are in the basemap's system already. Circles are not clickable, so sites under them still are.
    """
    if point is None and not coverage_centres:
        return None
    group = folium.FeatureGroup(name="步行圈")
    if point is not None and keep_in_view is not None:
        KeepInView(reach_bounds(point, radius_m, keep_in_view)).add_to(group)
    for lat, lon in (coverage_centres or [])[:COVERAGE_CIRCLE_LIMIT]:
        _not_interactive(folium.Circle([lat, lon], radius=radius_m, **COVERAGE_STYLE)).add_to(group)
    if point is not None:
        _not_interactive(folium.Circle(list(point), radius=radius_m, **REACH_STYLE)).add_to(group)
        # Over the pins (Leaflet's tooltip pane lies above theirs): at the street's scale the red dot sat under
        # the centre's pin and its 餐 badge, and the reader could not see where "my location" was (phone review).
        dot = folium.CircleMarker(
            list(point), radius=7, color="#ffffff", weight=3, fill=True, fill_color="#c0392b", fill_opacity=1,
            class_name="sm-my-location",
        )  # fmt: skip
        dot.options["pane"] = "tooltipPane"  # folium keeps no `pane` of a path's own
        _not_interactive(dot).add_to(group)
    return group


def _not_interactive(path: _Circle) -> _Circle:
    """`path` letting taps through to what lies under it. folium drops a path's `interactive`, so the red dot,
    drawn over the pins, caught the taps meant for the pin beneath it (verification review)."""
    path.options["interactive"] = False
    return path


class LocateControl(MacroElement):
    """A 定位到我 button: the browser's geolocation, reported to the app like a click on the map."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "servicemapLocateControl({{ this._parent.get_name() }}, {{ this.crs|tojson }});"
        "{% endmacro %}"
    )

    def __init__(self, crs: str) -> None:
        super().__init__()
        self._name = "LocateControl"
        self.crs = crs  # the basemap's: the browser's WGS-84 position is shifted into it
