"""Headless Chromium for tests, driven by Playwright (shared by the email and web tests).

Use it from a test module with a fixture of its own scope:

    from tests.browser import launched, open_page, has_horizontal_overflow

    @pytest.fixture(scope="module")
    def browser():
        with launched() as browser:
            yield browser

Without Chromium or Playwright the tests skip locally, and fail when $CI is set: CI must
never pass by skipping its browser checks.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from pipeline.preview import OVERFLOW_JS, chromium, find_chromium, open_page

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

__all__ = ["has_horizontal_overflow", "launched", "open_page", "require_chromium", "require_tool"]


def require_tool(name: str, found: str | None = None, hint: str = "scripts/system-deps") -> str:
    """The tool's path; skip when it is missing, or fail under CI."""
    path = found if found is not None else shutil.which(name)
    if path:
        return path
    message = f"{name} is not installed (install it with {hint})"
    if os.environ.get("CI"):
        pytest.fail(f"{message}; CI must not skip this test")
    pytest.skip(message)


def require_chromium() -> None:
    """Skip (or fail under CI) unless Chromium and Playwright are both installed."""
    require_tool("chromium", find_chromium())
    try:
        import playwright  # noqa: F401
    except ImportError:
        require_tool("playwright (Python package)", "", "pip install -r requirements-dev.txt")


@contextlib.contextmanager
def launched() -> Iterator[Browser]:
    """One Chromium for a block; Playwright's sync API allows one at a time per thread."""
    require_chromium()
    with chromium() as browser:
        yield browser


def has_horizontal_overflow(page: Page) -> bool:
    return bool(page.evaluate(OVERFLOW_JS))
