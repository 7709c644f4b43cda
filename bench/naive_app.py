"""The baseline to beat: a straightforward streamlit-folium app, one folium.Marker per site, CSV read every run."""

import os

import folium
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

sites = pd.read_csv(os.environ["SERVICEMAP_DATA"], dtype=str, keep_default_na=False)
meal = st.sidebar.radio("助餐服务", ["all", "yes", "no", "unknown"], key="f_meal")
if meal != "all":
    sites = sites[sites["meal_service"] == meal]
st.metric("站点", len(sites))
fmap = folium.Map(location=[39.9, 116.4], zoom_start=11)
for site in sites.itertuples():
    folium.Marker(
        [float(site.lat), float(site.lon)],
        tooltip=site.name,
        popup=f"{site.name}<br>{site.address}",
    ).add_to(fmap)
st_folium(fmap, key="naive_map", height=560)
