"""hipdash: `streamlit run app.py`. Navigation only; every page in pages/ stands alone.

`streamlit run` imports this file as the server (`app`: Streamlit's own routes, and the
one where a browser that gave the passcode gets the cookie that remembers it, see
hipdash.ui.gate), then runs it as the script of every page view (`__main__`). The server
answers through `hipdash.ui.network.Guard` (allowed hosts, the websocket's own origin, no
usage routes, no framing), in place with the rest of `network.harden` (done by importing
hipdash.ui) before the first request. Each page's HTML names the scripts the page will
load (`hipdash.ui.preload`), and the server reads the data files and loads what the pages
import before it answers (`hipdash.ui.warm`).

The root URL is a hidden page that opens Today under its own URL: the default page of
`st.navigation` has no URL of its own (it is served at the root only), so if Today were
the default, a link to /today would end in "Page not found" once the root had been opened.
A browser that asks the server for the root is sent to /today before any script runs
(`hipdash.ui.preload`): the root's page is what a run at the root gets otherwise.
"""

import streamlit as st

from hipdash.ui import PAGES, gate, network, preload, warm

if __name__ == "__main__":
    pages = [st.Page(p.path, title=p.title, icon=p.icon, url_path=p.url_path) for p in PAGES]

    def _root() -> None:
        st.switch_page(pages[0], query_params=st.query_params.to_dict())

    root = st.Page(_root, title="hipdash", url_path="start", default=True)
    st.navigation([root, *pages], position="hidden").run()
else:
    middleware = [*network.MIDDLEWARE, *preload.MIDDLEWARE]  # refusals first
    app = st.App(__file__, routes=gate.ROUTES, middleware=middleware)
    warm.warm()  # what the first page would build in its request (hipdash.ui.warm)
