"""`pipeline config`: the configuration in force, as TOML, with where each value came from."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from pipeline.config import Config, key_line


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)


def _header(loc: tuple[str, ...]) -> str:
    def key(name: str) -> str:
        bare = name.replace("-", "").replace("_", "").isalnum()
        return name if bare else json.dumps(name, ensure_ascii=False)

    return "[" + ".".join(key(part) for part in loc) + "]"


def describe(config: Config, path: Path | None) -> str:
    text = path.read_text(encoding="utf-8-sig") if path and path.exists() else ""
    raw = tomllib.loads(text) if text else {}
    where = str(path) if path else "pipeline.toml"
    lines: list[str] = []

    def source(loc: tuple[str, ...]) -> str:
        node: Any = raw
        for part in loc:
            if not isinstance(node, dict) or part not in node:
                return "default"
            node = node[part]
        line = key_line(text, loc)
        return f"{where}:{line}" if line else where

    def table(model: BaseModel, loc: tuple[str, ...]) -> None:
        scalars: list[tuple[str, Any]] = []
        nested: list[tuple[tuple[str, ...], BaseModel]] = []
        for name in type(model).model_fields:
            value = getattr(model, name)
            if isinstance(value, BaseModel):
                nested.append(((*loc, name), value))
            elif isinstance(value, dict):
                nested.extend(((*loc, name, key), item) for key, item in sorted(value.items()))
            else:
                scalars.append((name, value))
        shown = [(name, value) for name, value in scalars if value is not None]
        unset = [name for name, value in scalars if value is None]
        if shown or unset:
            lines.append(_header(loc))
            width = max((len(f"{n} = {_toml_value(v)}") for n, v in shown), default=0)
            for name, value in shown:
                assignment = f"{name} = {_toml_value(value)}"
                lines.append(f"{assignment:<{width}}  # {source((*loc, name))}")
            lines.extend(f"# {name} is not set" for name in unset)
            lines.append("")
        for sub_loc, sub_model in nested:
            table(sub_model, sub_loc)

    table(config, ())
    return "\n".join(line for line in lines if line != "[]").strip() + "\n"
