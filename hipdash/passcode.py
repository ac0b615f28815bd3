"""The optional shared passcode (`HIPDASH_PASSCODE`): comparing it, and slowing guessers.

Pure: the page gate in `hipdash.ui.gate` asks these two things. A wrong passcode costs
the guesser a delay, and after a few wrong ones within a minute every further attempt, from
any browser, waits: one passcode is shared by the whole server, so is the throttle.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from collections import deque
from collections.abc import Callable

WRONG_DELAY_SECONDS = 1.0
FREE_ATTEMPTS = 5
WINDOW_SECONDS = 60.0


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
