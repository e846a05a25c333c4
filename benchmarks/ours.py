"""Our pipeline as the benchmark drives it: a project folder, the CLI, and proof of each build."""

from __future__ import annotations

import hashlib
import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PIPELINE = REPO / ".venv" / "bin" / "pipeline"  # what users run; never imported in-process
BUILD = [str(PIPELINE), "build"]
CHECK = [str(PIPELINE), "check"]
HELP = [str(PIPELINE), "--help"]
BUILT = re.compile(r"Built (\d+) articles? .*?(\d+) draft\(s\) and (\d+) scheduled")
EDIT_BEFORE = "\n\n## What may help"  # the corpus's first heading ends the intro paragraph


@dataclass
class Project:
    """A project folder: ``articles/`` and ``output/``, built with the default configuration."""

    root: Path
    caches: Sequence[str]  # cache folders, relative to root, that a cold build must not see

    @property
    def articles(self) -> Path:
        return self.root / "articles"

    @property
    def output(self) -> Path:
        return self.root / "output"

    def make(self, corpus: Path) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
        self.root.mkdir(parents=True)
        shutil.copytree(corpus, self.articles)

    def clean(self) -> None:
        """No output and no cache: the next build is cold."""
        for name in ("output", *self.caches):
            shutil.rmtree(self.root / name, ignore_errors=True)
        for leftover in self.root.glob(".output.*"):  # staging folders of a killed build
            shutil.rmtree(leftover, ignore_errors=True)

    def cache_paths(self) -> list[Path]:
        return [self.root / name for name in self.caches]

    def strays(self) -> list[str]:
        """Entries a build left in the project that we do not know about (an unknown cache?)."""
        known = {"articles", "output", *(Path(c).parts[0] for c in self.caches)}
        return sorted(p.name for p in self.root.iterdir()
                      if p.name not in known and not p.name.startswith(".output."))

    def verify_build(self, log: Path, count: int) -> None:
        if not (self.output / ".pipeline-output").is_file():
            raise RuntimeError(f"the build exited 0 but wrote no {self.output}; see {log}")
        found = BUILT.search(log.read_text(encoding="utf-8", errors="replace"))
        if found and sum(int(n) for n in found.groups()) != count:
            raise RuntimeError(f"the build saw {found.group(0)!r} of {count} articles; see {log}")

    def digest(self) -> dict[str, str]:
        """A hash of every output file by relative path, caches excluded."""
        skipped = [p.resolve() for p in self.cache_paths()]
        return {str(path.relative_to(self.output)): hashlib.sha256(path.read_bytes()).hexdigest()
                for path in sorted(self.output.rglob("*"))
                if path.is_file() and not any(path.resolve().is_relative_to(s) for s in skipped)}

    def edit(self, index: int, run: int) -> bytes:
        """A real text change to one article: a new sentence in its intro. Returns a marker
        that must then appear in the output."""
        path = sorted(self.articles.glob("*.md"))[index]
        text = path.read_text(encoding="utf-8")
        marker = f"Reader update {run}-{index}"
        if EDIT_BEFORE not in text:
            raise RuntimeError(f"{path} has no {EDIT_BEFORE.strip()!r} heading to edit before")
        sentence = f" {marker}: a short walk after lunch eased stiffness for several readers."
        path.write_text(text.replace(EDIT_BEFORE, sentence + EDIT_BEFORE, 1), encoding="utf-8")
        return marker.encode()

    def contains(self, marker: bytes) -> bool:
        return any(marker in path.read_bytes()
                   for path in self.output.rglob("*") if path.is_file())


def differences(before: dict[str, str], after: dict[str, str], limit: int = 5) -> str:
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    more = f" and {len(changed) - limit} more" if len(changed) > limit else ""
    return ", ".join(changed[:limit]) + more


def code_fingerprint() -> str:
    """A hash of the code and templates a build runs: if it changes during a benchmark (someone
    is editing the repo), the rows measured different versions."""
    sha = hashlib.sha256()
    for folder in (REPO / "pipeline", REPO / "templates"):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                sha.update(str(path.relative_to(REPO)).encode() + b"\0" + path.read_bytes())
    return sha.hexdigest()
