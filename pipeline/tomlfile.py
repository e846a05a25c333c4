"""Reading a TOML file the project keeps (pipeline.toml, an edition record): every failure
becomes one clear error that names the file, and the line and column where TOML says."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


def read_toml(path: Path, error: Callable[[str], Exception]) -> tuple[str, dict[str, Any]]:
    """The file's text (a byte-order mark dropped) and its parsed table."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error(f"{path}: not UTF-8 ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise error(f"{path}: cannot read ({exc.strerror})") from None
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        where = _POSITION.search(message)
        at = f":{where[1]}:{where[2]}" if where else ""
        raise error(f"{path}{at}: invalid TOML: {_POSITION.sub('', message)}") from None
