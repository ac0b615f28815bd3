"""The optional shared passcode (`HIPDASH_PASSCODE`): when it is required, comparing it,
slowing guessers, and remembering a device that gave it.

A server listening beyond this computer needs one (`refusal`): the allowed host names
stop other web sites, not a program on the network that sends `Host: localhost`.

The page gate in `hipdash.ui.gate` asks these things. A wrong passcode costs the guesser a
delay, and after a few wrong ones within a minute every further attempt, from any browser,
waits: one passcode is shared by the whole server, so is the throttle. A device that gave
the right one gets a signed cookie (the only file read or written here is the secret that
signs it, in the data dir).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import os
import secrets
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path

from hipdash import private, store

MIN_LENGTH = 8  # a PIN or a short word is among a guesser's first tries
ALL_INTERFACES = ("", "0.0.0.0", "::")
WRONG_DELAY_SECONDS = 1.0
FREE_ATTEMPTS = 5
WINDOW_SECONDS = 60.0


def is_local(address: str | None) -> bool:
    """Whether a server listening on `address` is reachable from this computer only."""
    if address is None or address.strip() in ALL_INTERFACES:
        return False  # Streamlit's default without an address: every interface
    host = address.strip().strip("[]")
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name: reachable as that name


def refusal(address: str | None, passcode: str | None) -> str | None:
    """Why a server listening on `address` with this passcode must not serve the pages
    (`hipdash serve` refuses to start, every page shows only this), or None. A passcode,
    once set, must be one: blank or a few characters would be guessed."""
    if passcode is not None and len(passcode.strip()) < MIN_LENGTH:
        return (
            f"HIPDASH_PASSCODE must have at least {MIN_LENGTH} characters (spaces at its "
            "ends not counted); pick a longer one"
        )
    if passcode is None and not is_local(address):
        return (
            f"listening on {address or 'every address'} without a passcode lets anyone on "
            "your network read and change your health data; set HIPDASH_PASSCODE (at "
            f"least {MIN_LENGTH} characters) or listen on 127.0.0.1"
        )
    return None


def matches(expected: str, given: str) -> bool:
    """Constant-time comparison; hashing first keeps the time from telling the length too."""
    digest = lambda text: hashlib.sha256(text.encode("utf-8")).digest()  # noqa: E731
    return hmac.compare_digest(digest(expected), digest(given))


class Throttle:
    """Counts wrong attempts: after `free` of them within `window` seconds, attempts wait;
    each wrong one also costs its guesser `delay` seconds. `clock` and `sleep` are the
    time it goes by (a test passes its own, so no test waits for real)."""

    def __init__(
        self,
        free: int = FREE_ATTEMPTS,
        window: float = WINDOW_SECONDS,
        delay: float = WRONG_DELAY_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.free, self.window, self.delay = free, window, delay
        self.clock, self.sleep = clock, sleep
        self._failures: deque[float] = deque()
        self._lock = threading.Lock()

    def _forget_old(self, now: float) -> None:
        while self._failures and self._failures[0] <= now - self.window:
            self._failures.popleft()

    def wait_seconds(self) -> float:
        """How long until the next attempt may be tried (0 when it may be tried now)."""
        with self._lock:
            now = self.clock()
            self._forget_old(now)
            if len(self._failures) < self.free:
                return 0.0
            return self._failures[-self.free] + self.window - now

    def failed(self) -> None:
        """Count a wrong attempt, then make its guesser wait `delay` (outside the lock, so
        other browsers are not held up by it)."""
        with self._lock:
            now = self.clock()
            self._forget_old(now)
            self._failures.append(now)
        self.sleep(self.delay)

    def clear(self) -> None:
        with self._lock:
            self._failures.clear()


# A device that gave the passcode is remembered for 30 days by a cookie: the expiry, signed
# with a key made from a random secret kept in the data dir and the passcode itself, so a
# new passcode (or a new secret) revokes every cookie. The cookie tells nothing of the
# passcode without the secret (no guessing it offline, past the throttle).
COOKIE = "hipdash_device"
REMEMBER_SECONDS = 30 * 24 * 3600
SECRET_FILE = "passcode-key"
TICKET_SECONDS = 60.0
_VERSION = "v1"


def _signature(secret: bytes, expected: str, expires: int) -> bytes:
    key = hmac.new(secret, expected.encode("utf-8"), hashlib.sha256).digest()
    return hmac.new(key, f"{_VERSION}.{expires}".encode(), hashlib.sha256).hexdigest().encode()


def device_token(secret: bytes, expected: str, now: float) -> str:
    """The cookie's value for a device that gave `expected` at `now` (Unix time)."""
    expires = int(now) + REMEMBER_SECONDS
    return f"{_VERSION}.{expires}.{_signature(secret, expected, expires).decode()}"


def remembered(secret: bytes, expected: str, token: str | None, now: float) -> bool:
    """Whether a cookie's value is one `device_token` made for this passcode and secret,
    and has not expired (constant-time comparison of the signature)."""
    version, _, rest = (token or "").partition(".")
    expires, _, signature = rest.partition(".")
    if version != _VERSION or not expires.isascii() or not expires.isdigit() or len(expires) > 12:
        return False
    right = _signature(secret, expected, int(expires))
    given = signature.encode("utf-8", "replace")
    return hmac.compare_digest(right, given) and now < int(expires) <= now + REMEMBER_SECONDS


def load_secret(data_dir: Path, make: bool = True) -> bytes | None:
    """The data dir's random secret for signing cookies, made on first use (private to this
    user); None when it cannot be read or made (a read-only data dir: devices are then
    asked for the passcode on every visit, as before). Checking a cookie passes
    `make=False`: with no secret yet no cookie can be right, and a made-up one must not
    create the data dir."""
    path = data_dir / SECRET_FILE
    try:
        fd = store.open_plain(path, os.O_RDONLY)
    except FileNotFoundError:
        return _new_secret(path) if make else None
    except OSError:
        return None
    with os.fdopen(fd, "rb") as f:
        secret = f.read(256)
    return secret if len(secret) >= 32 else None


def _new_secret(path: Path) -> bytes | None:
    """A new secret, written whole to a private temporary file and then linked into place
    (so the file is never seen half-written, and two requests at once agree on one). The
    data dir is made if need be, as every first write makes it: on a fresh install the
    passcode's cookie can come before anything else is saved (it failed with 503 then)."""
    secret = secrets.token_bytes(32)
    try:
        private.make_dir(path.parent)
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)  # 0600
        private.fill(fd, secret)
        try:
            os.link(temp, path)
        finally:
            os.unlink(temp)
    except FileExistsError:  # made meanwhile by another request: that one counts
        return load_secret(path.parent)
    except OSError:
        return None
    return secret


class Tickets:
    """One-time tickets: the page that took the right passcode gets one, and the browser
    trades it, once and within a minute, for the cookie (which a page cannot set itself,
    being HttpOnly). `clock` is the time it goes by."""

    def __init__(
        self, lifetime: float = TICKET_SECONDS, clock: Callable[[], float] = time.monotonic
    ):
        self.lifetime, self.clock = lifetime, clock
        self._open: dict[str, float] = {}
        self._lock = threading.Lock()

    def issue(self) -> str:
        ticket = secrets.token_urlsafe(32)
        with self._lock:
            now = self.clock()
            self._open = {t: until for t, until in self._open.items() if until > now}
            self._open[ticket] = now + self.lifetime
        return ticket

    def redeem(self, ticket: str) -> bool:
        """True once for a ticket issued less than `lifetime` ago; False for anything else."""
        with self._lock:
            until = self._open.pop(ticket, None)
            return until is not None and until > self.clock()
