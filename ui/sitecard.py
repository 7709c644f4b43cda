"""One site's details as the map page and the list page show them: name, where it stands and how exactly,
then every fact the source gives, the missing ones said with whom to ask."""

import pandas as pd
import streamlit as st

from servicemap import filters as filtering
from servicemap import sitetext, vocab
from servicemap.textsafe import markdown_literal
from ui import data, state


def show(site: pd.Series, shown: pd.DataFrame) -> None:
    """Draw `site` (a registry row, labelled as in the registry) for readers of `shown`, the sites the
    filters show: it says when the site is outside them, and which shown sites stand at the same spot."""
    st.markdown(f"### {markdown_literal(site['name'])}")
    if site.name not in shown.index:
        _outside_the_filters(site)
    same_spot = shown.index.intersection(data.co_located(site.name))
    if not same_spot.empty:
        others = "、".join(shown.loc[same_spot, "name"])
        st.caption(markdown_literal(f"同一位置还有：{others}"))
    if pd.isna(site["lat"]):
        # Why, in the words of the source's 坐标 part ("地址来自公开名录，未找到坐标"): a leader asked why a site
        # with a full address is not on the map.
        why = markdown_literal(sitetext.position_note(str(site["source"])))
        st.warning(f"位置待核实（{why}），所以未在地图上标注。", icon=":material/help:")
    elif site["precision"] != "exact":
        approximate = markdown_literal(vocab.approximation_note(site["precision"]))
        st.warning(approximate, icon=":material/location_on:")
    # Markdown lines wrap long text (a table would cut it); every value is escaped literal text.
    details = sitetext.site_details_priced(site)
    lines = [f"**{label}**：{markdown_literal(value)}" for label, value in details.items() if value]
    if site["layer"] == vocab.CARE_LAYER:  # prices, beds and hours as reported, maybe a while ago
        lines.append("价格、床位、开放时间等为来源发布时的情况，去之前请先向站点或社区确认。")
    st.markdown(vocab.hotline_linked("  \n".join(lines)))


def _outside_the_filters(site: pd.Series) -> None:
    """Which filters hide `site`, and a button that loosens just those. A site picked and then filtered out kept
    its details here while the picker went blank and the map lost its pin, with no word of which of the
    sidebar's filters to undo (regression review)."""
    ctx = state.context()
    facets = filtering.hiding_facets(ctx.registry.sites.loc[[site.name]], ctx.filters)
    hiding = "、".join(f"“{facet}”" for facet in facets)
    st.caption(f"该站点不在当前筛选结果中：侧栏的{hiding}筛掉了它。")
    st.button(
        f"放宽{hiding}，{'在地图上显示它' if pd.notna(site['lat']) else '把它列回结果中'}",
        key="loosen_to_show",
        icon=":material/filter_alt_off:",
        on_click=_loosen_to_show,
        args=(site.name,),
    )


def _loosen_to_show(label: int) -> None:
    ctx = state.context()
    state.set_filters(
        filtering.loosened_to_show(ctx.registry.sites, label, state.filters_from_state()), guard_echo=True
    )
    site = ctx.registry.sites.loc[label]
    if pd.notna(site["lat"]):
        st.session_state[state.FLY_TO_SITE_KEY] = site["id"]  # its pin comes back: the map goes to it
        # ... and into view, as 在地图上查看 brings it: on a phone the map is above the details, off the screen,
        # and the reader saw only the notice go (regression review)
        st.session_state[state.DETAIL_ANEW_KEY] = True
    st.session_state[state.FILTERS_LOOSENED_KEY] = True
