"""The analysts' words made ready for an edition: the parts that fit its window, each with
its placeholders filled from the computed findings and the events' dates."""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from rusturk.analysis import findings
from rusturk.analysis.window import Window
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
        is_date, name = match.groups()
        if is_date:
            return findings.day(dates[name])
        if name not in facts:
            raise PlaceholderError(f"{{{name}}} is not a computed finding; known: "
                                   f"{', '.join(sorted(facts))}")
        return facts[name]

    return PLACEHOLDER.sub(value, text)


@dataclass
class Edition:
    """What the briefing shows of the analysts' words for one window."""

    scale: dict[str, str]
    judgements: list[Part]
    background: list[Part]
    watch: list[Part]
    glossary: dict[str, str]


def for_window(w: Window, include_syria: bool = True) -> Edition:
    """The judgements whose period lies inside the window, and the rest of the narrative,
    each text filled in; numbers for a judgement are computed on the period it covers."""
    narrative: Narrative = read(w.ds.data_dir)[0]
    dates = w.ds.events.set_index("event_id")["date_best"]
    whole = findings.facts(w, include_syria)

    def filled(part: Part, facts: dict[str, str]) -> Part:
        return replace(part, text=fill(part.text, facts, dates))

    chosen = []
    for j in narrative.judgements:
        start, end = (pd.Timestamp(d) for d in j.covers)
        if w.start <= start and end <= w.end:
            chosen.append(filled(j, findings.facts(Window(w.ds, start, end), include_syria)))
    return Edition(narrative.scale, chosen, [filled(p, whole) for p in narrative.background],
                   [filled(p, whole) for p in narrative.watch], narrative.glossary)
