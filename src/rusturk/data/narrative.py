"""The analysts' words (key judgements, background, what to watch, glossary): read and checked.

They live in `judgements.yaml` and `narrative.yaml` beside the tables. Every part names the
events and sources it rests on, and no digit is typed in a text: numbers and dates are
`{placeholders}` filled from the computed findings (`{name}`) or from an event's date
(`{date:EVENT_ID}`), so prose never states a number the data does not.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from rusturk.common import safe_yaml
from rusturk.common.problems import Problem, display_path
from rusturk.data.values import CONTROL

JUDGEMENTS = "judgements.yaml"
NARRATIVE = "narrative.yaml"
CONFIDENCE = ("high", "moderate", "low")
PLACEHOLDER = re.compile(r"\{(date:)?([a-z0-9_-]+)\}")
# A typed number: a token with a digit that does not start with a letter, so that names such
# as S-400, F-35, Su-24 and M4 are words, while 33, 1,000 and 2020 are numbers.
NUMBER = re.compile(r"(?<![\w-])\d")


@dataclass
class Part:
    """One judgement, background section or indicator."""

    text: str
    events: list[str]
    sources: list[str]
    id: str = ""
    heading: str = ""
    confidence: str = ""
    covers: tuple[dt.date, dt.date] | None = None


@dataclass
class Narrative:
    scale: dict[str, str] = field(default_factory=dict)
    judgements: list[Part] = field(default_factory=list)
    background: list[Part] = field(default_factory=list)
    watch: list[Part] = field(default_factory=list)
    glossary: dict[str, str] = field(default_factory=dict)


def _line(text: str, needle: str) -> int:
    at = text.find(needle)
    return text.count("\n", 0, at) + 1 if at >= 0 else 1


def read(data_dir: Path, events: set[str] | None = None,
         sources: set[str] | None = None) -> tuple[Narrative, list[Problem]]:
    """Both files, and every problem in them (ids checked when the known ids are given)."""
    out, problems = Narrative(), []
    for name in (JUDGEMENTS, NARRATIVE):
        path = Path(data_dir) / name
        where = display_path(path)
        if not path.is_file():
            continue  # a data folder without analysts' words gives a briefing without them
        raw = path.read_text(encoding="utf-8")
        try:
            doc = safe_yaml.loads(raw) or {}
        except yaml.YAMLError as exc:
            line = getattr(getattr(exc, "problem_mark", None), "line", 0) + 1
            problems.append(Problem(where, line, "-", f"not valid YAML: {exc.__class__.__name__}"))
            continue

        def fail(needle: str, column: str, message: str, where=where, raw=raw) -> None:
            problems.append(Problem(where, _line(raw, needle), column, message))

        def part(item: dict, kind: str, key: str) -> Part | None:
            if not isinstance(item, dict) or not isinstance(item.get("text"), str):
                fail(str(key), "text", f"each {kind} needs a text")
                return None
            rests = item.get("rests_on") or {}
            got = Part(" ".join(item["text"].split()), list(rests.get("events") or []),
                       list(rests.get("sources") or []), str(item.get("id", "")),
                       str(item.get("heading", "")), str(item.get("confidence", "")))
            check(got, key, kind)
            return got

        def check(got: Part, key: str, kind: str) -> None:
            bare = PLACEHOLDER.sub("", got.text)
            if NUMBER.search(bare):
                fail(key, "text", "a digit is typed; numbers and dates must be "
                     "{placeholders} filled from the data")
            if CONTROL.search(got.text):
                fail(key, "text", "control or bidirectional characters are not allowed")
            if not got.events:
                fail(key, "rests_on", f"the {kind} names no event it rests on")
            for kind_of, ids, known in (("event", got.events, events),
                                        ("source", got.sources, sources)):
                for i in ids if known is not None else []:
                    if i not in known:
                        fail(key, "rests_on", f"unknown {kind_of} id '{i}'")
            for is_date, name in PLACEHOLDER.findall(got.text):
                if is_date and events is not None and name not in events:
                    fail(key, "text", f"{{date:{name}}} names an unknown event")

        if name == JUDGEMENTS:
            out.scale = {str(k): str(v) for k, v in (doc.get("scale") or {}).items()}
            if tuple(out.scale) != CONFIDENCE:
                fail("scale", "scale", f"expected the levels {', '.join(CONFIDENCE)}")
            for item in doc.get("judgements") or []:
                got = part(item, "judgement", f"id: {item.get('id', '')}")
                if got is None:
                    continue
                if got.confidence not in CONFIDENCE:
                    fail(f"id: {got.id}", "confidence",
                         f"expected one of {', '.join(CONFIDENCE)}")
                try:
                    start, end = (dt.date.fromisoformat(str(d)) for d in item["covers"])
                    got.covers = (start, end)
                except (KeyError, TypeError, ValueError):
                    fail(f"id: {got.id}", "covers", "expected [first day, last day]")
                out.judgements.append(got)
        else:
            for item in doc.get("background") or []:
                got = part(item, "background section", f"heading: {item.get('heading', '')}")
                if got is not None:
                    out.background.append(got)
            for i, item in enumerate(doc.get("watch") or []):
                got = part(item, "indicator", str(item.get("text", ""))[:30] or f"watch {i}")
                if got is not None:
                    out.watch.append(got)
            out.glossary = {str(k): " ".join(str(v).split())
                            for k, v in (doc.get("glossary") or {}).items()}
    return out, problems
