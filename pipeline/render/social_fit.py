"""Finding the longest version of a post that a platform accepts.

Candidates come in the order material is given up (hashtags, key points, the hook, the title),
so the ones that fit form a tail of the list; an interpolation search finds where it starts in a
few probes. A probe renders the template, or, when the template only prints the material as it
is, fills a skeleton rendered once per shape: the same text, without rendering Jinja again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import jinja2
import regex
from jinja2 import nodes

from pipeline.errors import TemplateError
from pipeline.render.social_platforms import Platform
from pipeline.render.social_text import tidy
from pipeline.render.templates import render_template

MATERIAL = frozenset({"title", "hook", "points", "hashtags", "link"})
LISTS = frozenset({"points", "hashtags"})
# Stand-ins while a skeleton is rendered: private-use characters, which prose never carries
# (social_text.clean removes them) and which no case filter changes.
_TITLE, _HOOK, _LINK, _POINT, _TAG = "\ue000", "\ue001", "\ue002", 0xE100, 0xE200
PRIVATE_USE = regex.compile(r"[\ue000-\uf8ff]")


@dataclass(frozen=True)
class Choice:
    title: str
    hook: str
    points: tuple[str, ...]
    hashtags: tuple[str, ...]

    @cached_property
    def size(self) -> int:
        return (len(self.title) + len(self.hook) + sum(map(len, self.points))
                + sum(map(len, self.hashtags)))

    @property
    def shape(self) -> tuple[bool, bool, int, int]:
        return bool(self.title), bool(self.hook), len(self.points), len(self.hashtags)

    def stand_in(self) -> Choice:
        """The same shape, each part a private-use character."""
        return Choice(_TITLE if self.title else "", _HOOK if self.hook else "",
                      tuple(chr(_POINT + i) for i in range(len(self.points))),
                      tuple(chr(_TAG + i) for i in range(len(self.hashtags))))

    def fill(self, skeleton: str, link: str) -> str:
        text = skeleton.replace(_TITLE, self.title).replace(_HOOK, self.hook)
        for index, point in enumerate(self.points):
            text = text.replace(chr(_POINT + index), point)
        for index, tag in enumerate(self.hashtags):
            text = text.replace(chr(_TAG + index), tag)
        return text.replace(_LINK, link)


Stage = Callable[[], Sequence[Choice]]


def plain_material(tree: nodes.Template) -> bool:
    """Whether the template only prints the material as it is: ``{{ title }}``, ``{% if hook %}``,
    ``{{ hashtags | join(" ") }}``, ``{% for point in points %}{{ point }}{% endfor %}``.

    Then a skeleton rendered with stand-ins, filled in, is exactly what rendering would give."""

    def plain(node: nodes.Node, parent: nodes.Node | None, names: frozenset[str]) -> bool:
        if isinstance(node, nodes.Name) and node.name in names:
            if node.ctx != "load":
                return False  # {% set title = ... %} changes what later uses mean
            # A list printed whole shows its items' repr, where stand-ins would be escaped.
            printed = isinstance(parent, nodes.Output) and node.name not in LISTS
            return (printed or isinstance(parent, nodes.Not)
                    or (isinstance(parent, nodes.If) and parent.test is node))
        if isinstance(node, nodes.Filter) and isinstance(node.node, nodes.Name) and (
                node.node.name in names):
            return (node.name == "join" and isinstance(parent, nodes.Output)
                    and all(isinstance(arg, nodes.Const) for arg in node.args)
                    and not (node.kwargs or node.dyn_args or node.dyn_kwargs))
        if isinstance(node, nodes.For) and isinstance(node.iter, nodes.Name) and (
                node.iter.name in names):
            if (not isinstance(node.target, nodes.Name) or node.recursive
                    or node.test is not None or node.target.name in MATERIAL):
                return False
            inner = names | {node.target.name}
            return (all(plain(child, node, inner) for child in node.body)
                    and all(plain(child, node, names) for child in node.else_))
        return all(plain(child, node, names) for child in node.iter_child_nodes())

    return plain(tree, None, MATERIAL)


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
    # Skeletons by shape, when the template prints its material plainly (see plain_material);
    # shared by all articles when it shows nothing else of theirs. None: render every probe.
    skeletons: dict[tuple[bool, bool, int, int], str] | None
    probes: dict[Choice, Probe] = field(default_factory=dict)

    def render(self, choice: Choice, link: str) -> str:
        values = {**self.values, "title": choice.title, "hook": choice.hook, "link": link,
                  "points": list(choice.points), "hashtags": list(choice.hashtags)}
        try:
            return tidy(self.template.render(values))
        except jinja2.TemplateError:
            render_template(self.template.environment, self.name, **values)  # located error
            raise

    def text(self, choice: Choice) -> str:
        link = str(self.values["link"])
        if self.skeletons is None:
            return self.render(choice, link)
        skeleton = self.skeletons.get(choice.shape)
        if skeleton is None:
            skeleton = self.skeletons[choice.shape] = self.render(choice.stand_in(), _LINK)
        return tidy(choice.fill(skeleton, link))

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
        """The first choice that fits, knowing the first does not and the last does.

        Counts grow about linearly with a choice's size, so the next probe is interpolated;
        a probe that does not halve the bracket is followed by a plain bisection step."""
        low, high = 0, len(choices) - 1
        interpolate = True
        while high - low > 1:
            middle = self._interpolated(choices, low, high) if interpolate else (low + high) // 2
            before = high - low
            if self.probe(choices[middle]).fits:
                high = middle
            else:
                low = middle
            interpolate = (high - low) * 2 <= before
        return choices[high]

    def _interpolated(self, choices: Sequence[Choice], low: int, high: int) -> int:
        low_probe, high_probe = self.probe(choices[low]), self.probe(choices[high])
        spread = low_probe.count - high_probe.count
        if spread <= 0:
            return (low + high) // 2
        share = (self.limit - high_probe.count) / spread
        target = choices[high].size + share * (choices[low].size - choices[high].size)
        # Sizes fall as the index grows: the first index at or under the target size.
        lo, hi = low + 1, high - 1
        while lo < hi:
            mid = (lo + hi) // 2
            if choices[mid].size <= target:
                hi = mid
            else:
                lo = mid + 1
        return lo

    def _unfit(self, shortest: Probe) -> TemplateError:
        where = self.template.filename or self.name
        counted_only = self.platform.measure(shortest.text, 10**9)[1]
        return TemplateError(
            f"{where}: even the shortest {self.platform.label} post (no title, summary or "
            f"hashtags) is {shortest.count} {self.platform.unit}, over the limit of "
            f"{self.limit}{'' if counted_only else ' or another of its limits'}; shorten the "
            "template's fixed text or [social] short_disclaimer")
