"""Load-test reference: the sidebar's widgets alone, with fixed options and no data behind them.

The same kinds and number of widgets as the dashboard's sidebar filters (issue 3 requires them on every
page). What the load test measures for it is Streamlit's own cost of drawing those widgets on each rerun.
"""

import streamlit as st

with st.sidebar:
    st.toggle("大字模式", key="f_large")
    st.header("筛选")
    st.caption("图层")
    st.checkbox("养老服务资源", value=True, key="f_layer_elderly_care")
    st.checkbox("统战阵地及平台", value=True, key="f_layer_united_front")
    st.radio("助餐服务", ["全部", "提供助餐", "不提供", "情况不明"], key="f_meal", horizontal=True)
    st.multiselect("设施类型", ["养老服务中心", "养老驿站", "社区卫生服务中心", "统战工作阵地"], key="f_types")
    st.multiselect("统战阵地级别", ["国家级", "市级", "区级"], key="f_levels")
    st.multiselect("街道/镇", ["卢沟桥街道", "东高地街道"], key="f_streets")
    st.text_input("搜索名称、地址或介绍", key="f_query")
    st.selectbox("底图", ["OpenStreetMap", "高德地图", "无底图"], key="f_basemap")
st.title("卢街颐养 · 养老服务资源分布图")
