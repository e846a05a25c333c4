"""One exception tree, so the CLI maps every failure to a message and an exit code in one place."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from pipeline.checks import Finding

EXIT_CONTENT = 1
EXIT_USAGE = 2


class PipelineError(click.ClickException):
    """Base of every error the pipeline reports to a user."""

    exit_code = EXIT_USAGE


class ConfigError(PipelineError):
    """pipeline.toml is missing a value, has an unknown key or a value of the wrong kind."""

    exit_code = EXIT_USAGE


class UsageError(PipelineError):
    """An option or path given on the command line cannot be used."""

    exit_code = EXIT_USAGE


class TemplateError(PipelineError):
    """A Jinja template failed to compile or render."""

    exit_code = EXIT_CONTENT


class ContentError(PipelineError):
    """Articles failed their checks; carries the findings so the caller can print them."""

    exit_code = EXIT_CONTENT

    def __init__(self, message: str, findings: list[Finding] | None = None) -> None:
        super().__init__(message)
        self.findings = findings or []


class OutputError(PipelineError):
    """The output could not be written (disk full, permissions); the previous output stands."""

    exit_code = EXIT_CONTENT


class ArtifactError(PipelineError):
    """A rendered artifact lacks something every reader must see (the disclaimer)."""

    exit_code = EXIT_CONTENT


class EditionError(PipelineError):
    """A record of a sent edition (editions/*.toml) is broken, or an edition cannot be
    sent or recorded as asked (already recorded, built from an outdated history)."""

    exit_code = EXIT_USAGE
