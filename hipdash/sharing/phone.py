"""Opening hipdash on a phone: the computer's address on the home network, and a QR code.

Only when the server listens beyond this computer (where a page shows at all only with a
passcode, `hipdash.ui.gate`) is there an address to offer; otherwise the answer is the
command that starts it that way, and why the passcode matters. The network address is
found without any outside request: connecting a UDP socket only asks the kernel which
interface would route there (no packet is sent). The QR code is drawn here as SVG by
`segno`.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import segno

from hipdash.passcode import ALL_INTERFACES, is_local

# How the README starts it for a phone; the passcode is the person's to choose.
START_COMMAND = (
    "HIPDASH_PASSCODE='pick something long' .venv/bin/streamlit run app.py --server.address 0.0.0.0"
)
# The names the server answers to by default (`server.allowedHosts` in .streamlit/config.toml,
# against DNS rebinding); a phone needs this computer's address among them.
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")
WHY_PASSCODE = (
    "Listening on your network lets anyone on it open hipdash; the passcode keeps your "
    "health log to people who know it. It is plain HTTP: use it on your own Wi-Fi only."
)


@dataclass(frozen=True)
class PhoneAccess:
    """What the "Open on your phone" panel says: an address to open, or how to get one."""

    url: str | None  # set only when listening beyond localhost with a passcode
    message: str
    command: str | None = None  # the command that starts it the right way, when needed


def lan_address() -> str | None:
    """This computer's address on the network that private addresses route through, or None.

    A UDP connect() sends nothing; it only makes the kernel choose the outgoing interface."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 9))
            address = probe.getsockname()[0]
        except OSError:
            return None
    return None if ipaddress.ip_address(address).is_loopback else address


def start_command(lan: str | None) -> str:
    """START_COMMAND with this computer's network address added to the host names the
    server answers to (without it the phone's page would get no data)."""
    if not lan:
        return START_COMMAND
    hosts = " ".join((*LOCAL_HOSTS, lan))
    return f'STREAMLIT_SERVER_ALLOWED_HOSTS="{hosts}" {START_COMMAND}'


def answers_to(host: str, allowed_hosts: Sequence[str]) -> bool:
    """Whether a server with this `server.allowedHosts` accepts `host` (empty: any)."""
    names = [h.strip().lower().rstrip(".") for h in allowed_hosts]
    return not names or "*" in names or host.lower().strip("[]") in names


def app_url(host: str, port: int) -> str:
    literal = f"[{host}]" if ":" in host else host
    return f"http://{literal}:{port}/"


def access(
    address: str | None,
    port: int,
    find_lan: Callable[[], str | None] | None = None,
    allowed_hosts: Sequence[str] = (),
) -> PhoneAccess:
    """The panel's content for a server listening on `address`:`port` that answers to the
    host names `allowed_hosts` (`server.allowedHosts`; empty: any); `find_lan` finds this
    computer's network address (default `lan_address`). Beyond this computer the passcode
    is in place: no page is shown otherwise (`hipdash.ui.gate`)."""
    find_lan = find_lan or lan_address
    if is_local(address):
        return PhoneAccess(
            None,
            "hipdash listens on this computer only. To open it on your phone on the same "
            f"Wi-Fi, stop it and start it like this, with a passcode of your own. {WHY_PASSCODE}",
            start_command(find_lan()),
        )
    host = (
        address.strip().strip("[]") if address and address.strip() not in ALL_INTERFACES else None
    )
    host = host or find_lan()
    if not host:
        return PhoneAccess(
            None,
            "hipdash listens on your network, but this computer's address could not be "
            "found. `hostname -I` prints it; open http://ADDRESS:"
            f"{port}/ on your phone, after adding ADDRESS to `allowedHosts` in "
            "`.streamlit/config.toml`.",
        )
    if not answers_to(host, allowed_hosts):
        return PhoneAccess(
            None,
            f"hipdash listens on your network but answers only to {', '.join(allowed_hosts)} "
            f"(a guard against other sites), so a phone opening {host} would get nothing. "
            "Restart it like this:",
            start_command(host),
        )
    return PhoneAccess(
        app_url(host, port),
        "Scan the code with your phone's camera (on the same Wi-Fi), then enter the passcode.",
    )


def qr_image(url: str, scale: int = 5) -> str:
    """The QR code of `url` as an SVG `data:` URI (dark modules on white, a quiet zone of 4),
    for an <img> on the page: nothing is fetched to draw it."""
    return segno.make(url, error="m").svg_data_uri(scale=scale, border=4, dark="#000", light="#fff")
