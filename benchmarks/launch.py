"""Run one command; write its wall time and wait4 rusage to a file. Stdlib only, tiny.

Usage: python -S -I launch.py RESULT_FILE COMMAND [ARG ...]

Why a launcher: on Linux a new program's ru_maxrss starts at the peak RSS of the process
that spawned it (execve carries the old memory map's high-water mark over). Spawned straight
from the benchmark, which holds tens of MB, even ``true`` would "use" that much. Started
with ``-S -I`` this process stays near 10 MB, which becomes the floor instead.
"""

import os
import sys
import time


def main() -> int:
    result, command = sys.argv[1], sys.argv[2:]
    started = time.perf_counter()
    try:
        pid = os.posix_spawnp(command[0], command, os.environ)
    except OSError as exc:
        print(f"launch: cannot run {command[0]}: {exc}", file=sys.stderr)
        return 127
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - started
    with open(result, "w", encoding="ascii") as handle:
        handle.write(f"{seconds} {usage.ru_utime + usage.ru_stime} {usage.ru_maxrss * 1024} "
                     f"{os.waitstatus_to_exitcode(status)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
