"""Findings as data: what a check found, where, and how bad it is."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True, order=True)
class Finding:
    path: str
    line: int
    col: int
    rule: str
    severity: Severity
    message: str
    end_line: int | None = None
    end_col: int | None = None
    kind: str | None = None  # the rule's kind of finding, when it has kinds

    def format(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.severity} {self.rule} {self.message}"


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity is Severity.ERROR for f in findings)
