"""The router: page config, registry, shared sidebar, navigation, address bar."""

import streamlit as st

from ui import data, frame, newsave, state

# Served by the app (a :material/...: icon would come from fonts.gstatic.com). A static URL, not the
# file's path: a path is read and registered as a media file again on every rerun of every session.
FAVICON = "/app/static/favicon.png"

st.set_page_config(
    page_title=data.current_edition().title, page_icon=FAVICON, layout="wide", initial_sidebar_state="auto"
)

# Before the files are read: a save landing while this run draws is then still new to the page's look for saves
# (ui/newsave.py). Read at the run's foot, it was taken as drawn, and an open page kept the old sites for good.
saved = data.saved_versions()
registry, problem = data.registry()
if registry is None:
    # The pages named, not shown: a reader on /list stays on /list, and the page she asked for is drawn once the
    # file is mended (ui/newsave.py), not the map.
    st.navigation(frame.pages(), position="hidden")
    frame.unreadable_registry(problem)
    newsave.follow_new_saves(saved)
    st.stop()

state.seed_from_url(registry, lambda: data.default_basemap()[0])
streets = data.streets()
state.settle_choice_widgets(streets)
state.undo_stale_filters()
# Widgets already hold the reader's new choice when a run starts, so the counts can come first.
counted = state.filters_from_state()
view = data.filtered(counted)
filters = frame.sidebar_filters(streets, view.selection.option_counts)
if filters != counted:  # a widget fell back to its default (its options changed): select again
    view = data.filtered(filters)
st.session_state[state.CONTEXT_KEY] = state.PageContext(
    registry, filters, data.shown(filters), view.summary, view.layer_masks, view.unplaced
)

# The pages as tabs in the header on a computer, so the sidebar is the filters alone and the pages stay in sight
# when it is closed; on a phone Streamlit puts them back at the top of the sidebar, which closes on a choice.
page = st.navigation(frame.pages(), position="top")
frame.apply_page_assets()
frame.show_notices(registry)
page.run()
state.sync_url(filters)
state.release_url()
newsave.follow_new_saves(saved)
