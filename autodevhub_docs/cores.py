"""How many CPU cores the build may use (for the work it hands to child processes)."""
from __future__ import annotations

import os


def cores() -> int:
    """The CPU cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1
