"""卢街颐养 · 养老服务资源分布图 — the router: page config, shared sidebar, navigation, share link."""

from pathlib import Path

import streamlit as st

from ui import data, frame

# A local file: a :material/...: page icon would be fetched from fonts.gstatic.com.
FAVICON = Path(__file__).resolve().parent / "static" / "favicon.png"

st.set_page_config(page_title=frame.TITLE, page_icon=str(FAVICON), layout="wide", initial_sidebar_state="auto")

registry, problem = data.registry()
if registry is None:
    frame.unreadable_registry(problem)
    st.stop()

frame.seed_from_url(registry)
# Widgets already hold the reader's new choice when a run starts, so the counts can come first.
counted = frame.filters_from_state()
view = data.filtered(counted)
filters = frame.sidebar_filters(registry.sites, view.selection.option_counts)
if filters != counted:  # a widget fell back to its default (its options changed): select again
    view = data.filtered(filters)
st.session_state[frame.CONTEXT_KEY] = frame.PageContext(
    registry, filters, view.selection.rows(registry.sites), view.summary, view.layer_masks, view.unplaced
)

page = st.navigation(
    [
        st.Page("app_pages/map.py", title="地图", icon=":material/map:", default=True),
        st.Page("app_pages/list.py", title="资源清单", icon=":material/table_view:", url_path="list"),
        st.Page("app_pages/about.py", title="关于数据", icon=":material/info:", url_path="about"),
    ]
)
frame.apply_large_mode()
frame.show_notices(registry)
page.run()
frame.sync_url(filters)
