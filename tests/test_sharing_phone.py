"""Open on your phone: the address only when listening beyond localhost with a passcode,
otherwise the command and why; the QR code drawn is segno's encoding of the address shown."""

import re
from datetime import date
from urllib.parse import unquote

import pytest
import segno
from streamlit import config as st_config
from streamlit.testing.v1 import AppTest

from hipdash.log import Change, CheckoffLog
from hipdash.sharing import phone

from .conftest import whole


@pytest.mark.parametrize("address", ["127.0.0.1", "localhost", "::1", "[::1]", "127.0.0.2"])
def test_listening_on_this_computer_only_gives_the_command_and_why(address):
    found = phone.access(address, 8501, find_lan=lambda: "192.168.1.20")
    assert found.url is None
    assert found.command == phone.start_command("192.168.1.20")
    assert 'STREAMLIT_SERVER_ALLOWED_HOSTS="localhost 127.0.0.1 ::1 192.168.1.20"' in found.command
    assert "--server.address 0.0.0.0" in found.command and "HIPDASH_PASSCODE=" in found.command
    assert "this computer only" in found.message and "passcode" in found.message


@pytest.mark.parametrize(
    ("address", "lan", "url"),
    [
        ("0.0.0.0", "192.168.1.20", "http://192.168.1.20:8502/"),
        (None, "10.0.0.7", "http://10.0.0.7:8502/"),
        ("::", "10.0.0.7", "http://10.0.0.7:8502/"),
        ("192.168.1.30", "192.168.1.20", "http://192.168.1.30:8502/"),  # the one it listens on
        ("fd00::5", None, "http://[fd00::5]:8502/"),
    ],
)
def test_with_a_passcode_the_lan_address_is_offered(address, lan, url):
    found = phone.access(address, 8502, find_lan=lambda: lan)
    assert found.url == url and found.command is None


def test_an_address_the_server_does_not_answer_to_gives_the_command_with_it():
    local = phone.LOCAL_HOSTS
    found = phone.access("0.0.0.0", 8501, find_lan=lambda: "192.168.1.20", allowed_hosts=local)
    assert found.url is None and "answers only to" in found.message
    assert found.command == phone.start_command("192.168.1.20")
    allowed = (*local, "192.168.1.20")
    found = phone.access("0.0.0.0", 8501, find_lan=lambda: "192.168.1.20", allowed_hosts=allowed)
    assert found.url == "http://192.168.1.20:8501/"


def test_an_address_that_cannot_be_found_says_how_to_find_it():
    found = phone.access("0.0.0.0", 8501, find_lan=lambda: None)
    assert found.url is None and "hostname -I" in found.message


def test_the_lan_address_is_an_address_or_none():
    found = phone.lan_address()  # a UDP connect: no packet leaves the machine
    assert found is None or re.fullmatch(r"\d+\.\d+\.\d+\.\d+", found)
    assert found is None or not found.startswith("127.")


def drawn_matrix(data_uri: str) -> list[list[bool]]:
    """The dark modules of segno's SVG path ("M4 4.5h7m1 0h3…", module units, border 4)."""
    svg = unquote(data_uri.split(",", 1)[1])
    path = re.search(r"class=.qrline.[^>]*\sd=.([^'\"]+)", svg)[1]
    size = int(re.search(r"scale\((\d+)\)", svg)[1])
    width = int(re.search(r"width=.(\d+)", svg)[1]) // size - 8
    dark = [[False] * width for _ in range(width)]
    x = y = 0.0
    for op, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?", path):
        if op == "M":
            x, y = float(a), float(b)
        elif op == "m":
            x, y = x + float(a), y + float(b)
        else:
            for col in range(int(x), int(x) + int(a)):
                dark[int(y - 0.5) - 4][col - 4] = True
            x += int(a)
    return dark


def test_the_qr_code_encodes_the_url():
    url = "http://192.168.1.20:8501/"
    assert drawn_matrix(phone.qr_image(url)) == [
        [bool(m) for m in row] for row in segno.make(url, error="m").matrix
    ]


@pytest.fixture
def on_the_network(monkeypatch, data_dir, listening_on):
    monkeypatch.setenv("HIPDASH_PASSCODE", "a long passcode")
    CheckoffLog(data_dir / "checkoffs.csv").record(
        [Change(date(2026, 11, 23), "hip-therapy-routine-1", "release/cat-cow", True)]
    )
    listening_on("0.0.0.0")
    hosts = st_config.get_option("server.allowedHosts")
    st_config.set_option("server.allowedHosts", [*phone.LOCAL_HOSTS, "192.168.1.20"])
    yield
    st_config.set_option("server.allowedHosts", hosts)


def qr_images(at: AppTest) -> list[str]:
    return [h.proto.body for h in at.get("html") if "hd-qr" in h.proto.body]


def test_the_panel_shows_the_address_and_its_qr_code(app_page, on_the_network, monkeypatch):
    monkeypatch.setattr(phone, "lan_address", lambda: "192.168.1.20")
    at = app_page()
    at.text_input(key="hd_passcode").input("a long passcode")
    at.button[0].click().run()
    at = whole(at.switch_page("pages/progress.py").run())
    assert not at.exception and not qr_images(at)  # closed: nothing worked out
    at.session_state["hd-phone"] = True
    at.run()
    (shown,) = [c.value for c in at.code if c.value.startswith("http")]
    assert shown == f"http://192.168.1.20:{st_config.get_option('server.port')}/"
    (image,) = qr_images(at)
    uri = re.search(r'src="([^"]+)"', image)[1]
    assert drawn_matrix(uri) == [[bool(m) for m in r] for r in segno.make(shown, error="m").matrix]


def test_the_panel_on_localhost_gives_the_command(app_page, data_dir, monkeypatch):
    monkeypatch.setattr(phone, "lan_address", lambda: "192.168.1.20")
    CheckoffLog(data_dir / "checkoffs.csv").record(
        [Change(date(2026, 11, 23), "hip-therapy-routine-1", "release/cat-cow", True)]
    )
    at = whole(app_page("pages/progress.py"))
    at.session_state["hd-phone"] = True
    at.run()
    assert [c.value for c in at.code] == [phone.start_command("192.168.1.20")]
    assert not qr_images(at)
