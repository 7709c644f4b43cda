"""Load-test reference: the frame every page of the dashboard carries and nothing else.

The registry, the link seeding, the sidebar filters with their counts, the address-bar sync and the share
link, drawn by the app's own functions (app.py runs all but the share link, which each page draws where its
link can change). What the load test measures for it is the most any page with those filters can reach.
"""

import streamlit as st

from ui import data, frame, state

registry, problem = data.registry()
if registry is None:
    st.stop()
state.seed_from_url(registry, lambda: data.default_basemap()[0])
counted = state.filters_from_state()
filters = frame.sidebar_filters(data.streets(), data.filtered(counted).selection.option_counts)
st.title(data.current_edition().title)
state.sync_url(filters)
frame.share_link_box(filters)
