"""`pipeline preview`: the screenshots an editor looks at before sending."""

from __future__ import annotations

import struct
from pathlib import Path

from click.testing import CliRunner

from pipeline.cli import cli
from tests.browser import require_chromium
from tests.test_email import build_newsletter


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_preview_writes_a_screenshot_per_width(tmp_path: Path) -> None:
    require_chromium()
    built = build_newsletter(tmp_path)
    result = CliRunner().invoke(cli, ["preview", "--output", str(built.parent), "--dark"])
    assert result.exit_code == 0, result.output
    for width in (375, 600):
        for suffix in ("", "-dark"):
            path = built / f"preview-{width}{suffix}.png"  # beside newsletter.html
            assert f"wrote {path}" in result.output
            # A full-page shot grows wider than the window when the page overflows.
            png_width, height = _png_size(path)
            assert png_width == width and height > 1000


def test_preview_without_a_build_says_what_to_do(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["preview", "--output", str(tmp_path / "nothing")])
    assert result.exit_code == 2
    assert "run `pipeline build` first" in result.output
