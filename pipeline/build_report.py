"""What `pipeline build` tells the person who ran it: progress while it works, a summary after."""

from __future__ import annotations

import os
import sys
from collections import defaultdict
from pathlib import Path

import click

from pipeline.build import BuildResult

KINDS = {"email": "newsletter", "feeds": "feeds", "site": "web archive", "social": "social posts"}


def _size(count: int) -> str:
    for unit in ("bytes", "KB", "MB"):
        if count < 1024 or unit == "MB":
            return f"{count:,} {unit}" if unit == "bytes" else f"{count:.1f} {unit}"
        count /= 1024  # type: ignore[assignment]
    raise AssertionError


class Progress:
    """Stage messages on one self-erasing terminal line; silent when not on a terminal."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        # NO_COLOR asks for no escape sequences: pad with spaces to erase instead.
        self._erase = "\r" + " " * 60 + "\r" if "NO_COLOR" in os.environ else "\r\033[2K"
        self._shown = False

    def __call__(self, message: str) -> None:
        if self.enabled:
            click.echo(f"{self._erase}{message}", nl=False, err=True)
            self._shown = True

    def done(self) -> None:
        if self._shown:
            click.echo(self._erase, nl=False, err=True)
            self._shown = False


def summary(result: BuildResult, output_dir: Path, *, verbose: bool = False) -> str:
    lines = []
    if verbose:
        lines += [f"  wrote {output_dir / path}  ({size:,} bytes)"
                  for path, size in result.files.items()]
    groups: dict[str, list[int]] = defaultdict(list)
    for path, size in result.files.items():
        groups[path.split("/", 1)[0]].append(size)
    for folder, sizes in sorted(groups.items()):
        name = KINDS.get(folder, folder)
        lines.append(f"  {name:<13} {output_dir / folder}/  {len(sizes):>6,} files  "
                     f"{_size(sum(sizes)):>10}")
    if result.newsletter_size is not None:
        lines.append(f"  {result.newsletter_size}")
    if result.edition is not None:
        count = len(result.edition_slugs)
        lines.append(f"  newsletter edition {result.edition}: {count} "
                     f"article{'s' if count != 1 else ''} ({', '.join(result.edition_slugs)})")
    if result.nothing_new_since is not None:
        lines.append(f"No new articles since edition {result.nothing_new_since}: no newsletter "
                     "this time; everything else is built.")
    published = len(result.published)
    state = "Up to date (nothing changed since the last build): " if result.up_to_date else ""
    lines.append(
        f"{state}{published} article{'s' if published != 1 else ''} published, "
        f"{len(result.drafts)} draft{'s' if len(result.drafts) != 1 else ''} and "
        f"{len(result.scheduled)} scheduled skipped; {len(result.files):,} files "
        f"({_size(sum(result.files.values()))}{_rewritten(result)}) in {output_dir}/ in "
        f"{result.seconds:.2f} s")
    return "\n".join(lines)


def _rewritten(result: BuildResult) -> str:
    """How many files this build wrote: the others were already there, byte for byte."""
    if result.up_to_date or result.written == len(result.files):
        return ""
    return f", {result.written:,} of them written"
