"""Load-test reference: the one-widget floor plus N plain text elements (BENCH_ELEMENTS), or the same text
as one element (BENCH_ONE_ELEMENT=1). What `python -m bench.element_cost` measures with it is what one more
element on a page costs each rerun, whatever it shows."""

import os

import streamlit as st

meal = st.radio("助餐服务", ["全部", "提供助餐", "不提供", "情况不明"], key="f_meal")
st.metric("选择", meal)
lines = [f"第 {number} 行：{meal}" for number in range(int(os.environ.get("BENCH_ELEMENTS", "0")))]
if os.environ.get("BENCH_ONE_ELEMENT") == "1":
    st.markdown("\n\n".join(lines))
else:
    for line in lines:
        st.markdown(line)
