"""Test-wide settings.

Property tests draw the same examples on every run ("stable", the default), so a CI run fails
only when the code changed, never because the random draw did. For a fresh random search,
run `HYPOTHESIS_PROFILE=explore .venv/bin/pytest` (a new random draw each time);
whatever it finds goes into the tests as an `@example`.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("stable", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "stable"))
