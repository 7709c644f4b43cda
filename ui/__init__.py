"""Streamlit glue shared by the pages: cached data loading, the sidebar, and the URL state."""
