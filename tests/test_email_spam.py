"""An independent spam score: SpamAssassin rates newsletter.eml offline (no network tests)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from pipeline.build import build
from pipeline.config import load_config
from tests.browser import require_tool
from tests.test_email import TODAY, build_newsletter

REPO = Path(__file__).resolve().parent.parent
MAX_SCORE = 2.0


def spam_report(eml: Path) -> tuple[float, str]:
    """SpamAssassin's score and the rules that fired, with network tests off (-L)."""
    spamassassin = require_tool("spamassassin")
    result = subprocess.run([spamassassin, "-L", "-t"], input=eml.read_bytes(),
                            capture_output=True, timeout=120, check=False)
    output = result.stdout.decode("utf-8", "replace")
    status = re.search(r"^X-Spam-Status: .*?score=(-?[\d.]+).*?tests=(.*?)\s+autolearn",
                       output, re.MULTILINE | re.DOTALL)
    assert status, f"no X-Spam-Status in SpamAssassin's output:\n{output[:2000]}"
    return float(status.group(1)), " ".join(status.group(2).split())


@pytest.mark.parametrize("config", [
    "",
    """
[site]
logo = "logo.png"
[newsletter]
unsubscribe_url = "*|UNSUB|*"
unsubscribe_email = "leave@example.com"
view_online_url = "*|ARCHIVE|*"
[newsletter.utm]
source = "newsletter"
medium = "email"
""",
], ids=["defaults", "mailchimp-with-utm"])
def test_newsletter_scores_well_under_the_spam_threshold(tmp_path: Path, config: str) -> None:
    score, rules = spam_report(build_newsletter(tmp_path, config) / "newsletter.eml")
    assert score < MAX_SCORE, f"score {score}: {rules}"


def test_bundled_articles_score_well(tmp_path: Path) -> None:
    build(REPO / "articles", tmp_path / "out", load_config(None), today=TODAY)
    score, rules = spam_report(tmp_path / "out" / "email" / "newsletter.eml")
    assert score < MAX_SCORE, f"score {score}: {rules}"
