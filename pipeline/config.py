"""The configuration model: every key of pipeline.toml, its default, and its validation."""

from __future__ import annotations

import datetime as dt
import re
import string
import zoneinfo
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from pipeline.errors import ConfigError
from pipeline.tomlfile import read_toml

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
    per_page: Annotated[int, Field(ge=1, le=100)] = 10  # articles per web archive page

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
    # Merge fields are written exactly as given (the provider replaces them when it sends).
    view_online_url: str | None = None
    unsubscribe_email: str | None = None  # adds a mailto: to List-Unsubscribe
    merge_fields: dict[str, str] = {}  # more provider tags for custom templates: merge.NAME
    list_id: str | None = None  # RFC 2919 label; default newsletter.<site host>
    logo_width: Annotated[int, Field(ge=16, le=600)] = 160
    since: dt.date | None = None  # usually `pipeline build --since`; overrides max_articles
    # The records of sent editions, one file each; relative to pipeline.toml's folder.
    editions: str = "editions"

    @field_validator("subject")
    @classmethod
    def _subject_fields(cls, value: str) -> str:
        try:
            names = {name for _, name, _, _ in string.Formatter().parse(value) if name is not None}
        except ValueError as exc:
            raise ValueError(f"{exc}; write {{{{ or }}}} for a literal brace") from None
        unknown = sorted(names - set(SUBJECT_FIELDS))
        if unknown:
            raise ValueError(f"unknown placeholder {{{unknown[0]}}}; use "
                             + ", ".join(f"{{{name}}}" for name in SUBJECT_FIELDS))
        return value

    @field_validator("from_address", "reply_to", "unsubscribe_email")
    @classmethod
    def _address(cls, value: str | None) -> str | None:
        if value is not None and not _ADDRESS.fullmatch(value):
            raise ValueError("must be a plain email address such as news@example.com")
        return value

    @field_validator("unsubscribe_url", "view_online_url")
    @classmethod
    def _merge_value(cls, value: str | None) -> str | None:
        return None if value is None else _merge_field(value)

    @field_validator("merge_fields")
    @classmethod
    def _merge_values(cls, value: dict[str, str]) -> dict[str, str]:
        for name, text in value.items():
            if not name.isidentifier():
                raise ValueError(f"{name!r}: names must be letters, digits and _")
            _merge_field(text)
        return value

    @field_validator("editions")
    @classmethod
    def _folder(cls, value: str) -> str:
        if not value.strip() or _CONTROL_CHARS.search(value):
            raise ValueError("must be a folder such as \"editions\" (relative to "
                             "pipeline.toml)")
        return value

    @field_validator("list_id")
    @classmethod
    def _list_label(cls, value: str | None) -> str | None:
        if value is not None and not _LIST_ID.fullmatch(value):
            raise ValueError("must be a dotted label such as weekly.example.com (RFC 2919)")
        return value


SUBJECT_FIELDS = ("site", "lead_title", "count", "date", "number")
_ADDRESS = re.compile(r"[^@\s<>\"(),;:]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")
_LIST_ID = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)+")


def _merge_field(value: str) -> str:
    # Written raw into an HTML attribute and a header: a quote or line break would end them.
    if not value.strip() or '"' in value or _CONTROL_CHARS.search(value):
        raise ValueError("must be a non-empty URL or merge tag without double quotes or "
                         "line breaks, such as *|UNSUB|* or https://example.com/unsubscribe")
    return value


_CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")


class FeedsConfig(Section):
    max_items: Annotated[int, Field(ge=1)] = 50
    websub_hub: str | None = None
    icon: str | None = None  # square image: a URL, or a path relative to [site] url

    @field_validator("websub_hub")
    @classmethod
    def _hub_url(cls, value: str | None) -> str | None:
        parts = urlsplit(value or "")
        if value is not None and (parts.scheme not in ("http", "https") or not parts.netloc
                                  or _CONTROL_CHARS.search(value) or " " in value):
            raise ValueError("must be an absolute http(s) URL such as "
                             "https://pubsubhubbub.appspot.com/")
        return value

    @field_validator("icon")
    @classmethod
    def _icon_url(cls, value: str | None) -> str | None:
        scheme = urlsplit(value or "").scheme
        if value is not None and (not value.strip() or scheme not in ("", "http", "https")
                                  or _CONTROL_CHARS.search(value)):
            raise ValueError("must be an http(s) URL or a path such as images/icon.png")
        return value


class SocialPlatformConfig(Section):
    max_hashtags: Annotated[int, Field(ge=0, le=10)] | None = None
    # Only for a platform whose limit differs for you (a Mastodon server's own, X Premium).
    max_length: Annotated[int, Field(ge=1)] | None = None


class SocialConfig(Section):
    short_disclaimer: str = DEFAULT_SHORT_DISCLAIMER
    max_hashtags: Annotated[int, Field(ge=0, le=10)] = 3
    utm: dict[str, UtmConfig] = {}
    platforms: dict[str, SocialPlatformConfig] = {}

    @field_validator("short_disclaimer")
    @classmethod
    def _some_text(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty: every post carries it")
        return value.strip()

    @field_validator("utm", "platforms")
    @classmethod
    def _known_platforms(cls, value: dict[str, object]) -> dict[str, object]:
        unknown = sorted(set(value) - set(PLATFORMS))
        if unknown:
            raise ValueError(f"unknown platform {', '.join(unknown)}; use one of "
                             + ", ".join(PLATFORMS))
        return value


class RuleConfig(Section):
    severity: Literal["error", "warning", "off"] | None = None  # None: the rule's default
    # Per kind of finding, for rules whose findings have kinds (medical-claim).
    kinds: dict[str, Literal["error", "warning", "off"]] = {}


class CheckConfig(Section):
    rules: dict[str, RuleConfig] = {}
    readability_floor: Annotated[float, Field(ge=-100, le=121)] = 30.0
    claim_phrases: list[str] = []
    max_title_length: Annotated[int, Field(ge=10)] = 70
    max_file_bytes: Annotated[int, Field(ge=1)] = 5 * 1024 * 1024

    @field_validator("claim_phrases")
    @classmethod
    def _real_phrases(cls, value: list[str]) -> list[str]:
        # An empty phrase would match everywhere.
        if any(not phrase.strip() for phrase in value):
            raise ValueError("phrases must not be empty; remove the empty string")
        return value


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


def key_line(text: str, loc: tuple[str | int, ...]) -> int | None:
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
    text, data = read_toml(path, ConfigError)
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = tuple(error["loc"])
            line = key_line(text, loc)
            where = f"{path}:{line}" if line else str(path)
            problems.append(f"{where}: {'.'.join(map(str, loc))}: {_describe(error)}")
        raise ConfigError("invalid configuration\n" + "\n".join(problems)) from None
