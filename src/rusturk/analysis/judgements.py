"""The analysts' words made ready for an edition: the parts its window and end date allow,
each checked against its conditions and filled from the edition's stated quantities."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd

from rusturk.analysis import conditions, registry
from rusturk.analysis.registry import Quantity, Registry
from rusturk.analysis.window import Window
from rusturk.common.text import day
from rusturk.data.narrative import PLACEHOLDER, Narrative, Part, read


class PlaceholderError(ValueError):
    """A text cites a number the findings do not compute."""


def fill(text: str, facts: dict[str, str], dates: pd.Series) -> str:
    """`text` with each `{name}` and `{date:EVENT_ID}` replaced.

    Examples:
        >>> dates = pd.Series({"x": pd.Timestamp("2020-02-03")})
        >>> fill("{n} events by {date:x}", {"n": "12"}, dates)
        '12 events by 3 Feb 2020'
    """
    def value(match) -> str:
        prefix, name = match.groups()
        if prefix == "date:":
            return day(dates[name])
        name = (prefix or "") + name
        if name not in facts:
            raise PlaceholderError(f"{{{name}}} is not a computed quantity; known: "
                                   f"{', '.join(sorted(facts))}")
        return facts[name]

    return PLACEHOLDER.sub(value, text)


def used(text: str) -> list[str]:
    """The quantity names a text cites, in order, once each."""
    return list(dict.fromkeys(name for prefix, name in PLACEHOLDER.findall(text)
                              if prefix != "date:"))


@dataclass(frozen=True)
class Stated:
    """A quantity an edition prints, with the period it is computed on."""

    period: str
    quantity: Quantity


@dataclass
class Edition:
    """What the briefing shows of the analysts' words for one window."""

    scale: dict
    judgements: list[Part]
    background: list[Part]
    watch: list[Part]
    glossary: dict[str, str]
    bottom_line: Part | None = None
    withheld: list[tuple[str, list[str]]] = field(default_factory=list)
    outcomes: list[conditions.Outcome] = field(default_factory=list)
    stated: list[Stated] = field(default_factory=list)


def known_from(part: Part, dates: pd.Series) -> pd.Timestamp | None:
    """The first day a part could have been written: its own date, else its latest event's."""
    if part.known_from is not None:
        return pd.Timestamp(part.known_from)
    days = [dates[e] for e in part.events if e in dates.index and pd.notna(dates[e])]
    return max(days) if days else None


def _period(w: Window, start, end, known_by: pd.Timestamp, include_syria: bool) -> Registry:
    return registry.compute(Window(w.ds, pd.Timestamp(start), pd.Timestamp(end)),
                            include_syria, known_by=known_by)


def for_window(w: Window, include_syria: bool = True,
               narrative: Narrative | None = None) -> Edition:
    """The judgements whose period lies inside the window and whose conditions hold on it,
    and the rest of the narrative that the window's end date allows, each text filled in."""
    narrative = narrative or read(w.ds.data_dir)[0]
    for part in [*narrative.judgements, *narrative.bottom_line, *narrative.background,
                 *narrative.watch]:
        for name in used(part.text):
            if not _known_name(name.removeprefix("interval:")):
                raise PlaceholderError(f"{{{name}}} is not a computed quantity; known: "
                                       f"{', '.join(sorted(registry.NAMES))} and the ged_ "
                                       "quantities")
    dates = w.ds.events.set_index("event_id")["date_best"]
    whole = registry.compute(w, include_syria)
    edition = Edition(narrative.scale, [], [], [], {})
    stated: dict[tuple[str, str], Stated] = {}

    def take(part: Part, reg: Registry) -> Part:
        for name in used(part.text):
            if name in reg:
                stated.setdefault((reg.period, name), Stated(reg.period, reg[name]))
        return replace(part, text=fill(part.text, reg.texts(), dates))

    for j in narrative.judgements:
        start, end = (pd.Timestamp(d) for d in j.covers)
        written = known_from(j, dates)
        if not (w.start <= start and end <= w.end) or (written is not None and written > w.end):
            continue
        reg = _period(w, start, end, w.end, include_syria)
        outcomes = conditions.evaluate(j, j.id, reg, w.ds.phases, dates, w.ds.sources,
                                       narrative.scale.get(j.confidence))
        edition.outcomes += outcomes
        failed = [o.line() for o in outcomes if not o.passed]
        missing = [n for n in used(j.text) if n not in reg]
        failed += [f"{j.id}: no quantity {n} in {reg.period}" for n in missing]
        if failed:
            edition.withheld.append((j.id, failed))
        else:
            edition.judgements.append(take(j, reg))
    # The bottom line: the widest period inside the window whose checks hold there.
    lines = sorted((b for b in narrative.bottom_line
                    if w.start <= pd.Timestamp(b.covers[0])
                    and pd.Timestamp(b.covers[1]) <= w.end),
                   key=lambda b: b.covers[0] - b.covers[1])
    for b in lines:
        start, end = (pd.Timestamp(d) for d in b.covers)
        reg = _period(w, start, end, w.end, include_syria)
        outcomes = conditions.evaluate(b, "bottom line", reg, w.ds.phases, dates,
                                       w.ds.sources, None)
        edition.outcomes += outcomes
        if all(o.passed for o in outcomes) and all(n in reg for n in used(b.text)):
            edition.bottom_line = take(b, reg)
            break
    shown = {j.id for j in edition.judgements}
    for kind, parts in (("background", narrative.background), ("watch", narrative.watch)):
        for part in parts:
            written = known_from(part, dates)
            if written is not None and written > w.end:
                continue
            name = part.heading or part.text[:40]
            outcomes = conditions.evaluate(part, name, whole, w.ds.phases, dates,
                                           w.ds.sources, None)
            edition.outcomes += outcomes
            failed = [o.line() for o in outcomes if not o.passed]
            failed += [f"{name}: no quantity {n}" for n in used(part.text) if n not in whole]
            if failed:
                edition.withheld.append((name, failed))
                continue
            if part.bears_on:  # an indicator names only the judgements this edition shows
                part = replace(part, bears_on=tuple(j for j in part.bears_on if j in shown))
            getattr(edition, kind).append(take(part, whole))
    edition.glossary = {term: text for term, text in narrative.glossary.items()
                        if narrative.glossary_known_from.get(term, w.end.date()) <= w.end.date()}
    edition.stated = list(stated.values())
    return edition


def check_all(w: Window, include_syria: bool = True) -> list[tuple[Part, list[str]]]:
    """Each judgement checked on its own period with what the data holds: the failures, for
    `rusturk validate` (an empty list means every judgement holds)."""
    narrative = read(w.ds.data_dir)[0]
    dates = w.ds.events.set_index("event_id")["date_best"]
    out = []
    for j in narrative.judgements:
        start, end = (pd.Timestamp(d) for d in j.covers)
        reg = _period(w, start, end, end, include_syria)
        outcomes = conditions.evaluate(j, j.id, reg, w.ds.phases, dates, w.ds.sources,
                                       narrative.scale.get(j.confidence))
        failed = [o.line() for o in outcomes if not o.passed]
        failed += [f"{j.id}: {{{n}}} is not a computed quantity" for n in used(j.text)
                   if not _known_name(n.removeprefix("interval:"))]
        if failed:
            out.append((j, failed))
    return out


def _known_name(name: str) -> bool:
    """Names a period may lack (no incident, no displacement reading) but that exist."""
    return name in registry.NAMES or name.startswith("ged_")
