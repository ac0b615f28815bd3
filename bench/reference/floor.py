"""The floor for bench/browser.py: one Streamlit checkbox and its count, nothing else.
No page can answer a click faster than Streamlit answers this one."""

import streamlit as st

done = st.checkbox("Dead bug", key="box")
with st.container(key="count"):
    st.markdown(f"**{int(done)} / 1** done")
