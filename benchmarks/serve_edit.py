"""How long an editor waits in ``pipeline serve``: the first page, then each edit made visible.

Starts ``pipeline serve`` on a corpus (default: 1,000 benchmark articles made here), waits
until the home page answers, then edits one article at a time (a new paragraph with a unique
word) and polls that article's page until the word is served. The time of an edit runs from
the file's write to the first response that holds the word: the watcher's debounce, the
rebuild and the swap are all in it.

Usage: python -m benchmarks.serve_edit [--articles N] [--edits N] [--corpus FOLDER]
"""

from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

from benchmarks import corpus

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(url: str) -> bytes | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read()
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait_for(url: str, word: bytes | None, deadline: float) -> float:
    while time.perf_counter() < deadline:
        page = fetch(url)
        if page is not None and (word is None or word in page):
            return time.perf_counter()
        time.sleep(0.01)
    raise TimeoutError(f"{url} never showed {word!r}")


def measure(project: Path, edits: int,
            echo: Callable[[str], None] = print) -> tuple[float, list[float]]:
    """``pipeline serve`` in ``project`` (its ``articles/`` is edited): seconds to the first
    page, and to each edit made visible."""
    files = sorted((project / "articles").glob("*.md"))
    port = free_port()
    started = time.perf_counter()
    server = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "serve", "--port", str(port)], cwd=project,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        first = wait_for(f"{base}/", b"</html>", started + 600) - started
        echo(f"  serve: first page after {first:.2f} s")
        times = []
        for number in range(edits):
            path = files[(number * 97 + 13) % len(files)]
            word = f"zebrafinch{number}x{time.time_ns()}"
            head, _, body = path.read_text(encoding="utf-8").partition("\n---\n")
            time.sleep(0.5)  # let the watcher settle after the previous build
            written = time.perf_counter()
            path.write_text(f"{head}\n---\n\nA new paragraph: {word}.\n{body}",
                            encoding="utf-8")
            seen = wait_for(f"{base}/{path.stem}/", word.encode(), written + 60)
            times.append(seen - written)
            echo(f"  serve: edit {number + 1} ({path.stem}) visible after {times[-1]:.2f} s")
        return first, times
    finally:
        server.terminate()
        server.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=7)
    parser.add_argument("--corpus", type=Path, help="an articles folder to copy instead")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="serve-bench-") as work:
        project = Path(work)
        if args.corpus:
            shutil.copytree(args.corpus, project / "articles")
        else:
            corpus.generate(project / "articles", args.articles)
        _first, times = measure(project, args.edits)
        print(f"edit visible: median {statistics.median(times):.2f} s, "
              f"best {min(times):.2f} s, worst {max(times):.2f} s ({len(times)} edits)")


if __name__ == "__main__":
    main()
