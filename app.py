"""hipdash: `streamlit run app.py`. Navigation only; every page in pages/ stands alone."""

import streamlit as st

from hipdash.ui import PAGES

pages = [
    st.Page(p.path, title=p.title, icon=p.icon, url_path=p.url_path, default=(i == 0))
    for i, p in enumerate(PAGES)
]
st.navigation(pages, position="hidden").run()
