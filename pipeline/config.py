"""The configuration model: every key of pipeline.toml, its default, and its validation."""

from __future__ import annotations

import re
import tomllib
import zoneinfo
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from pipeline.errors import ConfigError

STANDARD_DISCLAIMER = (
    "This article is for general information only and is not a substitute for professional "
    "medical advice, diagnosis or treatment. Always consult a qualified healthcare provider "
    "before starting any new treatment, and never ignore or delay seeking medical advice "
    "because of something you have read here."
)
DEFAULT_SHORT_DISCLAIMER = "General information, not medical advice."
PLATFORMS = ("x", "bluesky", "mastodon", "threads", "linkedin", "facebook")


class Section(BaseModel):
    # Unknown keys are errors: a typo in pipeline.toml must not silently fall back to a default.
    model_config = ConfigDict(extra="forbid", frozen=True)


class SiteConfig(Section):
    title: str = "Wellness Notes"
    url: str = "https://example.com"
    author: str = "The Editors"
    email: str = "editors@example.com"
    description: str = "Evidence-minded writing on pain, movement and recovery."
    language: str = "en"
    timezone: str = "UTC"
    logo: str | None = None

    @field_validator("url")
    @classmethod
    def _absolute_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("must be an absolute http(s) URL such as https://example.com")
        return value.rstrip("/")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError("must be an IANA time zone such as UTC or Europe/London") from exc
        return value

    @field_validator("language")
    @classmethod
    def _language_tag(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", value):
            raise ValueError("must be a language tag such as en or en-GB")
        return value


class UtmConfig(Section):
    source: str | None = None
    medium: str | None = None
    campaign: str | None = None


class NewsletterConfig(Section):
    max_articles: Annotated[int, Field(ge=1, le=50)] = 5
    subject: str = "{site}: {lead_title}"
    from_name: str | None = None
    from_address: str = "newsletter@example.com"
    reply_to: str | None = None
    postal_address: str = "Wellness Notes, 1 Example Street, Springfield"
    unsubscribe_url: str = "{{unsubscribe_url}}"
    reason: str = "You receive this email because you subscribed to our newsletter."
    preheader: str | None = None
    utm: UtmConfig = UtmConfig()


class FeedsConfig(Section):
    max_items: Annotated[int, Field(ge=1)] = 50
    websub_hub: str | None = None
    icon: str | None = None


class SocialConfig(Section):
    short_disclaimer: str = DEFAULT_SHORT_DISCLAIMER
    max_hashtags: Annotated[int, Field(ge=0, le=10)] = 3
    utm: dict[str, UtmConfig] = {}


class RuleConfig(Section):
    severity: Literal["error", "warning", "off"]


class CheckConfig(Section):
    rules: dict[str, RuleConfig] = {}
    readability_floor: float = 30.0
    claim_phrases: list[str] = []
    max_file_bytes: Annotated[int, Field(ge=1)] = 5 * 1024 * 1024


class DisclaimerConfig(Section):
    text: Annotated[str, Field(min_length=20)]


def _default_disclaimers() -> dict[str, DisclaimerConfig]:
    return {"standard": DisclaimerConfig(text=STANDARD_DISCLAIMER)}


class Config(Section):
    site: SiteConfig = SiteConfig()
    newsletter: NewsletterConfig = NewsletterConfig()
    feeds: FeedsConfig = FeedsConfig()
    social: SocialConfig = SocialConfig()
    check: CheckConfig = CheckConfig()
    disclaimers: dict[str, DisclaimerConfig] = Field(default_factory=_default_disclaimers)

    @field_validator("disclaimers")
    @classmethod
    def _keep_standard(cls, value: dict[str, DisclaimerConfig]) -> dict[str, DisclaimerConfig]:
        # Configuring another disclaimer must not remove the built-in one articles default to.
        return {**_default_disclaimers(), **value}

    def article_url(self, slug: str) -> str:
        return f"{self.site.url}/{slug}/"


def _key_line(text: str, loc: tuple[str | int, ...]) -> int | None:
    """Best-effort line of a dotted key in TOML text (tomllib keeps no positions)."""
    names = [str(part) for part in loc]
    lines = text.splitlines()
    for depth in range(len(names), 0, -1):
        table, key = names[: depth - 1], names[depth - 1]
        header = re.compile(r"^\s*\[\s*" + r"\s*\.\s*".join(map(re.escape, table)) + r"\s*\]")
        start = 0
        if table:
            start = next((i for i, line in enumerate(lines) if header.match(line)), -1)
            if start < 0:
                continue
        key_re = re.compile(r"^\s*" + re.escape(key) + r"\s*=|^\s*\[\s*" + r"\s*\.\s*".join(
            map(re.escape, [*table, key])) + r"\s*\]")
        for i in range(start, len(lines)):
            if i > start and table and lines[i].lstrip().startswith("[") and not key_re.match(
                    lines[i]):
                break
            if key_re.match(lines[i]):
                return i + 1
    return None


def _describe(error: dict) -> str:
    if error["type"] == "extra_forbidden":
        return "unknown key; remove it or check its spelling"
    if error["type"] == "missing":
        return "required key is missing"
    message = str(error["msg"])
    return message.removeprefix("Value error, ")


def load_config(path: Path | None, *, required: bool = False) -> Config:
    """Load and validate pipeline.toml; a missing optional file gives the defaults."""
    if path is None or not path.exists():
        if required and path is not None:
            raise ConfigError(f"{path}: config file not found")
        return Config()
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 ({exc.reason} at byte {exc.start})") from exc
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror})") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = tuple(error["loc"])
            line = _key_line(text, loc)
            where = f"{path}:{line}" if line else str(path)
            problems.append(f"{where}: {'.'.join(map(str, loc))}: {_describe(error)}")
        raise ConfigError("invalid configuration\n" + "\n".join(problems)) from None
