"""Finding the longest version of a post that a platform accepts.

Candidates come in the order material is given up (hashtags, key points, the hook, the title),
so the ones that fit form a tail of the list; a binary search finds where it starts, each probe
a render of the template.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import jinja2

from pipeline.errors import TemplateError
from pipeline.render.social_platforms import Platform
from pipeline.render.social_text import tidy
from pipeline.render.templates import render_template


@dataclass(frozen=True)
class Choice:
    title: str
    hook: str
    points: tuple[str, ...]
    hashtags: tuple[str, ...]


Stage = Callable[[], Sequence[Choice]]


@dataclass
class Probe:
    text: str
    count: int
    fits: bool


@dataclass
class Fitter:
    """One platform's template for one article: finds the longest post that fits."""

    platform: Platform
    limit: int
    template: jinja2.Template
    name: str
    values: dict[str, object]
    probes: dict[Choice, Probe] = field(default_factory=dict)

    def text(self, choice: Choice) -> str:
        values = {**self.values, "title": choice.title, "hook": choice.hook,
                  "points": list(choice.points), "hashtags": list(choice.hashtags)}
        try:
            return tidy(self.template.render(values))
        except jinja2.TemplateError:
            render_template(self.template.environment, self.name, **values)  # located error
            raise

    def probe(self, choice: Choice) -> Probe:
        found = self.probes.get(choice)
        if found is None:
            text = self.text(choice)
            found = self.probes[choice] = Probe(text, *self.platform.measure(text, self.limit))
        return found

    def fit(self, stages: list[Stage]) -> Probe:
        """The first candidate that fits; stages are built only when the search reaches them."""
        previous: Choice | None = None
        for stage in stages:
            choices = stage()
            if not choices:
                continue
            if previous is None:
                if self.probe(choices[0]).fits:
                    return self.probe(choices[0])
                previous, choices = choices[0], choices[1:]
                if not choices:
                    continue
            if self.probe(choices[-1]).fits:
                return self.probe(self._search([previous, *choices]))
            previous = choices[-1]
        assert previous is not None
        raise self._unfit(self.probe(previous))

    def _search(self, choices: Sequence[Choice]) -> Choice:
        """The first choice that fits, knowing the first does not and the last does."""
        return choices[bisect.bisect_left(choices, True, 1, len(choices) - 1,
                                          key=lambda choice: self.probe(choice).fits)]

    def _unfit(self, shortest: Probe) -> TemplateError:
        where = self.template.filename or self.name
        counted_only = self.platform.measure(shortest.text, 10**9)[1]
        return TemplateError(
            f"{where}: even the shortest {self.platform.label} post (no title, summary or "
            f"hashtags) is {shortest.count} {self.platform.unit}, over the limit of "
            f"{self.limit}{'' if counted_only else ' or another of its limits'}; shorten the "
            "template's fixed text or [social] short_disclaimer")
