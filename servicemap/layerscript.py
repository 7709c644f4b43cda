"""Site and walking-circle layers -> the JavaScript streamlit-folium adds to a mounted map.

streamlit-folium turns each `feature_group_to_add` into script by rendering it inside the whole map,
and folium's MacroElement.render compiles every piece of generated script as a Jinja template (about
0.3 ms each). On a dashboard that reruns for every click that cost more than the rest of the rerun.
The layers here only ever hold script macros, so their macros are called directly: the same script,
without the map and without a compile. tests/test_layerscript.py holds it to streamlit-folium's own.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import folium
from branca.element import Element

MOUNTED_MAP = "map_div"  # the variable streamlit-folium's frontend gives the mounted Leaflet map


class _MountedMap:
    """Stands in for the folium map as a layer's parent: its only use in a template is its name."""

    @staticmethod
    def get_name() -> str:
        return MOUNTED_MAP


def _scripts(element: Element) -> Iterator[str]:
    module = element._template.module.__dict__
    if "header" in module or "html" in module or getattr(element, "default_js", None):
        # It needs the page's <head>, body or a script file: only a new mount of the map could provide those.
        raise ValueError(f"{type(element).__name__} cannot be added to a mounted map")
    if "script" in module:
        yield str(module["script"](element, {}))
    for child in element._children.values():
        yield from _scripts(child)


def feature_groups_script(groups: Sequence[folium.FeatureGroup]) -> str:
    """The script that adds `groups` to the mounted map, as st_folium's `feature_group_to_add` would.

    The groups are given the names streamlit-folium gives them (feature_group_feature_group_<n>), which
    its frontend uses to remove them again when the next rerun sends other layers.
    """
    parts: list[str] = []
    for index, group in enumerate(groups):
        group._id = f"feature_group_{index}"
        group._parent = _MountedMap()  # type: ignore[assignment]  # only its get_name() is read
        name = group.get_name()
        parts.extend(_scripts(group))
        parts.append(
            f"{MOUNTED_MAP}.addLayer({name});\n"
            "window.feature_group = window.feature_group || [];\n"
            f"window.feature_group.push({name});\n"
        )
    return "\n".join(parts)
