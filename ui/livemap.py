"""The live map: streamlit-folium's component, with the base map rendered once and shared.

st_folium renders the whole folium map on every call. Our base map (tiles, boundary, legend) never
changes while a session looks at it, and rendering it cost more than the rest of a rerun, so it is
rendered once per (view origin, basemap, picking mode) and shared by every session; each rerun sends
only the site layers, written directly by servicemap.layerscript. The arguments given to the component
are the ones st_folium gives it (streamlit-folium 0.27), so the frontend cannot tell the difference.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import folium
import streamlit as st
from streamlit_folium import _component_func, _get_header, _get_html, _get_map_string, generate_js_hash, get_full_id

from servicemap import layerscript

# What st_folium reports before the reader touches the map: nothing, apart from the bounds and zoom.
_REPORTS_WITHOUT_DEFAULT = (
    "last_clicked", "last_object_clicked", "last_object_clicked_count", "last_object_clicked_tooltip",
    "last_object_clicked_popup", "all_drawings", "last_active_drawing", "last_circle_radius",
    "last_circle_polygon", "selected_layers", "selected_tags", "last_geocoder_result",
)  # fmt: skip


@dataclass(frozen=True)
class RenderedMap:
    """A base map as streamlit-folium's frontend takes it."""

    script: str
    header: str
    html: str
    map_id: str
    component_key: str  # changes only when the base map does, which re-mounts the map
    defaults: dict
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]


def _asset_links(fmap: folium.Map) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Every element's script and style files, in st_folium's order (depth first), each once."""
    css: dict[str, None] = {}
    js: dict[str, None] = {}

    def visit(element) -> None:  # noqa: ANN001 - folium elements are untyped
        css.update(dict.fromkeys(href for _, href in getattr(element, "default_css", [])))
        js.update(dict.fromkeys(src for _, src in getattr(element, "default_js", [])))
        for child in element._children.values():
            visit(child)

    visit(fmap)
    return tuple(css), tuple(js)


def render(fmap: folium.Map, key: str) -> RenderedMap:
    """Render `fmap` as st_folium does: once, since rendering mutates the map and compiles templates."""
    fmap.get_root().render()
    fmap.render()
    html, header = _get_html(fmap), _get_header(fmap)
    script = _get_map_string(fmap)
    (south, west), (north, east) = fmap.get_bounds()
    css_links, js_links = _asset_links(fmap)
    return RenderedMap(
        script=script,
        header=header,
        html=html,
        map_id=get_full_id(fmap),
        component_key=generate_js_hash(script, key, False),
        defaults={
            **dict.fromkeys(_REPORTS_WITHOUT_DEFAULT),
            "bounds": {"_southWest": {"lat": south, "lng": west}, "_northEast": {"lat": north, "lng": east}},
            "zoom": fmap.options.get("zoom"),
        },
        css_links=css_links,
        js_links=js_links,
    )


def show(
    base: RenderedMap,
    layers: Sequence[folium.FeatureGroup],
    *,
    key: str,
    height: int,
    returned_objects: Sequence[str],
    center: tuple[float, float] | None = None,
    zoom: int | None = None,
) -> dict | None:
    """Draw the map full width with `layers` on it; what the reader did on it, as st_folium returns it."""

    def keep_under_own_key() -> None:  # as st_folium does, so st.session_state[key] holds the last report
        st.session_state[key] = st.session_state.get(base.component_key, {})

    return _component_func(
        script=base.script,
        header=base.header,
        html=base.html,
        id=base.map_id,
        key=base.component_key,
        height=height,
        width=None,
        returned_objects=list(returned_objects),
        default={name: value for name, value in base.defaults.items() if name in returned_objects},
        zoom=zoom,
        center=center,
        feature_group=layerscript.feature_groups_script(layers) if layers else None,
        return_on_hover=False,
        layer_control=None,
        pixelated=False,
        css_links=list(base.css_links),
        js_links=list(base.js_links),
        on_change=keep_under_own_key,
        wrap_longitude=False,
    )
