"""The baseline to beat: a straightforward streamlit-folium app, one folium.Marker per site, CSV read every run."""

import os

import folium
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

MEAL_LABELS = {"all": "全部", "yes": "提供助餐", "no": "不提供", "unknown": "情况不明"}

sites = pd.read_csv(os.environ["SERVICEMAP_DATA"], dtype=str, keep_default_na=False)
sites = sites[(sites["lat"] != "") & (sites["lon"] != "")]  # the shipped registry lists unplaced sites too
meal = st.sidebar.radio("助餐服务", list(MEAL_LABELS), format_func=MEAL_LABELS.get, key="f_meal")
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
