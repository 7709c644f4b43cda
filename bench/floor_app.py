"""Streamlit's own floor for the load test: one widget, one number, nothing else."""

import streamlit as st

meal = st.radio("助餐服务", ["全部", "提供助餐", "不提供", "情况不明"], key="f_meal")
st.metric("选择", meal)
