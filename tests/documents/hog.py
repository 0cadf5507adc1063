"""A child for the isolation tests: ``python -m tests.documents.hog memory|cpu|sleep|environment``."""

from __future__ import annotations

import os
import time

from lib import isolation


def _work(args: list[str], _data: bytes) -> bytes:
    what = args[0]
    if what == "memory":
        hoard = [bytearray(50 * 1024 * 1024) for _ in range(100)]  # 5 GB, far over the limit
        return str(len(hoard)).encode()
    if what == "cpu":
        n = 0
        while True:
            n += 1
    if what == "sleep":
        time.sleep(600)
    return "\n".join(os.environ).encode()


if __name__ == "__main__":
    isolation.child_main(_work)
