"""Keeps Streamlit's server from contacting anything outside this machine.

When a websocket arrives from an origin it does not know, Streamlit checks whether that
origin is this machine's public address, which it finds by asking a web service on the
internet (`streamlit.net_util.get_external_ip`, an HTTP request to checkip.amazonaws.com).
No setting turns that off. hipdash is never served on a public address, and nothing may
leave the machine, so the lookup finds nothing, which is what Streamlit does when it
fails (the origin is then refused, as it would be anyway).
"""

from __future__ import annotations

from streamlit import net_util


def _no_public_address() -> None:
    return None


def keep_lookups_local() -> None:
    """Install the above in this (the server's) process; idempotent."""
    net_util.get_external_ip = _no_public_address
