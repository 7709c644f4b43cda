"""The layers' script written directly must be the script streamlit-folium would have generated."""

from __future__ import annotations

import copy
import re

import folium
import pytest
from branca.element import MacroElement
from jinja2 import Template
from streamlit_folium import _get_feature_group_string

from servicemap import basemaps, layerscript, mapview, sitedata, viewport
from tests.maphtml import drawn_sites

# streamlit-folium renames a layer's children (circle_<random> -> circle_feature_group_2_0); the names
# are local to the script, so they are compared with the numbers taken out.
CHILD_NAME = re.compile(r"\b(circle_marker|circle)_[0-9a-z_]+")


def _normalised(script: str) -> list[str]:
    text = CHILD_NAME.sub(r"\1_x", script)
    # folium also adds "<group>.addTo(map_div);" right before streamlit-folium's own addLayer: the same call twice.
    text = re.sub(r"feature_group_feature_group_\d+\.addTo\(map_div\);", "", text)
    return [line.strip() for line in text.splitlines() if line.strip()]


def _layers(shipped_sites, near: bool) -> list[folium.FeatureGroup]:
    displayed = basemaps.sites_for_display(shipped_sites, "wgs84")
    groups = mapview.build_site_layers(displayed, displayed.iloc[::2], {"data": sitedata.dataset(displayed)})
    if near:
        placed = displayed.loc[displayed["lat"].notna()]
        centres = list(zip(placed["lat"], placed["lon"], strict=True))
        groups.append(mapview.build_reach_layer((39.86, 116.22), 1000, centres))
    return groups


@pytest.mark.parametrize("near", [False, True], ids=["sites", "sites-and-walking-circles"])
def test_direct_script_is_streamlit_folium_script(shipped_sites, near):
    base = mapview.build_base_map(viewport.DEFAULT_VIEW)
    theirs = "".join(
        _get_feature_group_string(group, copy.deepcopy(base), index)
        for index, group in enumerate(_layers(shipped_sites, near))
    )
    ours = layerscript.feature_groups_script(_layers(shipped_sites, near))
    assert _normalised(ours) == _normalised(theirs)
    assert drawn_sites(ours) == drawn_sites(theirs) != []


class _StyledElement(MacroElement):
    _template = Template("{% macro header(this, kwargs) %}<style>.x{}</style>{% endmacro %}")


@pytest.mark.parametrize("element", [_StyledElement, folium.plugins.Fullscreen], ids=["head-style", "script-file"])
def test_an_element_that_needs_the_page_itself_is_refused(element):
    group = folium.FeatureGroup(name="x")
    element().add_to(group)
    with pytest.raises(ValueError, match="cannot be added"):
        layerscript.feature_groups_script([group])
