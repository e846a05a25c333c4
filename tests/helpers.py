"""Small builders for test articles and projects (no assertions here)."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

from pipeline.config import STANDARD_DISCLAIMER

DISCLAIMER_PARAGRAPH = f"**Disclaimer:** {STANDARD_DISCLAIMER}"
FIXTURES = Path(__file__).parent / "fixtures"
# The real article this project was made for, where shared/ sits beside the repository.
SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "remedial-massage-chronic-pain.txt"


def article_text(title: str = "A gentle stretch", date: str = "2026-03-02", body: str = "",
                 extra: str = "", disclaimer: bool = True) -> str:
    lines = ["---", f"title: {title!r}" if "'" not in title else f'title: "{title}"',
             f"date: {date}"]
    if extra:
        lines.append(extra.rstrip("\n"))
    lines += ["---", "", body or "Gentle movement can ease stiffness for some people.", ""]
    if disclaimer:
        lines += [DISCLAIMER_PARAGRAPH, ""]
    return "\n".join(lines)


def write_article(folder: Path, name: str, **kwargs: object) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(article_text(**kwargs), encoding="utf-8")  # type: ignore[arg-type]
    return path


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file under a folder with the SHA-256 of its bytes (for byte-identity checks)."""
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def seed_article(folder: Path) -> Path:
    """The seed article as published: front matter added, its text as it came."""
    path = folder / "seed.md"
    path.write_text("---\ntitle: Remedial massage\ndate: 2026-01-01\n---\n\n"
                    + SEED.read_text(encoding="utf-8"), encoding="utf-8")
    return path


def popen_interruptible(args: list[str], **options: Any) -> subprocess.Popen[Any]:
    """``subprocess.Popen`` whose process handles Ctrl-C whatever this one does with it. A
    handled signal is reset to its default in the child, an ignored one stays ignored: run
    in the background from a script (`make test &`), pytest ignores SIGINT, and so would
    the process, which then never sees the test's Ctrl-C."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        return subprocess.Popen(args, **options)
    finally:
        signal.signal(signal.SIGINT, previous)


def ctrl_c_once_forked(process: subprocess.Popen[bytes], within: float = 60
                       ) -> tuple[bytes, bytes]:
    """Ctrl-C as a terminal sends it (to the whole process group: start ``process`` with
    ``start_new_session=True``) once it has forked a worker; then its output when it ends.
    Raises TimeoutError if it ends first, never forks or never ends (killed then)."""
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    deadline = time.monotonic() + within
    while True:
        try:
            if children.read_text().split():
                break
        except OSError:  # ended meanwhile
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise TimeoutError("the process ended before it forked a worker, or never did")
        time.sleep(0.01)
    os.killpg(process.pid, signal.SIGINT)
    try:
        return process.communicate(timeout=within)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
