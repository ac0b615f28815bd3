"""A separate writer process for the durability tests (run as a script, not collected).

`python tests/log_writer.py LOG TAG COUNT [--wait]` appends COUNT ticks whose items are
`TAG/n0`, `TAG/n1`, ... and writes the number of each one to stdout, flushed, only after
`CheckoffLog.record` returned: what it reported is what it was promised was saved.
With --wait it loads everything, says `ready` and starts on the first line of stdin.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path

from hipdash.log import Change, CheckoffLog

DAY = date(2026, 11, 24)
ROUTINE = "durability"


def main(argv: list[str]) -> None:
    path, tag, count = Path(argv[0]), argv[1], int(argv[2])
    log = CheckoffLog(path)
    if "--wait" in argv:
        os.write(1, b"ready\n")
        sys.stdin.readline()
    for i in range(count):
        log.record([Change(DAY, ROUTINE, f"{tag}/n{i}", i % 2 == 0)])
        os.write(1, f"{i}\n".encode())


if __name__ == "__main__":
    main(sys.argv[1:])
