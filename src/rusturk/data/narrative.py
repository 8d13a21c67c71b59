"""The analysts' words (key judgements, background, what to watch, glossary): read and checked.

They live in `judgements.yaml` and `narrative.yaml` beside the tables. Their shape is a
schema (pydantic models that forbid unknown keys), so a wrong shape is one line naming the
file and the key. Every part names the events and sources it rests on, and no digit is
typed in a text: numbers and dates are `{placeholders}` filled from the edition's stated
quantities (`{name}`, and `{interval:name}` for its interval or range with n) or from an
event's date (`{date:EVENT_ID}`). A part that asserts
something of the data declares `checks`: the conditions under which its words are true.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from rusturk.common import safe_yaml
from rusturk.common.problems import Problem, display_path
from rusturk.data.values import CONTROL

JUDGEMENTS = "judgements.yaml"
NARRATIVE = "narrative.yaml"
CONFIDENCE = ("high", "moderate", "low")
GRADES = ("A", "B", "C", "D", "E", "F")
PLACEHOLDER = re.compile(r"\{(date:|interval:)?([a-z0-9_-]+)\}")
# A typed number: a token with a digit that does not start with a letter, so that names such
# as S-400, F-35, Su-24 and M4 are words, while 33, 1,000 and 2020 are numbers.
NUMBER = re.compile(r"(?<![\w-])\d")
MAX_BYTES = 1_000_000  # analysts' prose, not data: a larger file is a mistake


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class RestsOn(_Strict):
    events: list[str] = Field(min_length=1)
    sources: list[str] = []


class Holds(_Strict):
    """What the window must hold for a comparison to exist."""

    months: list[str] = []  # "2020-02": the whole month lies in the window
    phases: list[str] = []  # phase ids that overlap the window
    events: list[str] = []  # event ids dated inside the window

    @field_validator("months")
    @classmethod
    def _months(cls, v: list[str]) -> list[str]:
        for m in v:
            dt.date.fromisoformat(f"{m}-01")
        return v


class Check(_Strict):
    """One condition: `sign` (interval clear of zero), `exceeds`/`over` (a comparison with
    its difference interval clear of zero), or `holds` (the window has what is compared)."""

    sign: str | None = None
    # positive / negative: the interval lies above / below zero; indeterminate: it spans
    # zero (the claim that the data cannot tell a change from none).
    is_: Literal["positive", "negative", "indeterminate"] | None = Field(default=None,
                                                                        alias="is")
    exceeds: str | None = None
    over: str | None = None
    holds: Holds | None = None

    def model_post_init(self, _context) -> None:
        kinds = [k for k in ("sign", "exceeds", "holds") if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError("a check is exactly one of sign, exceeds or holds")
        if self.sign is not None and self.is_ is None:
            raise ValueError("a sign check says `is: positive` or `is: negative`")
        if self.exceeds is not None and self.over is None:
            raise ValueError("an exceeds check names the quantity it exceeds in `over`")


class Level(_Strict):
    """A confidence level: its meaning, and the support its words promise."""

    meaning: str
    min_publishers: int = Field(ge=1, le=50)  # distinct publishers among the cited sources
    grades: list[Literal["A", "B", "C", "D", "E", "F"]] = Field(min_length=1)


class _Part(_Strict):
    text: str = Field(max_length=4000)
    rests_on: RestsOn
    checks: list[Check] = []
    known_from: dt.date | None = None  # the first day the text could have been written


class JudgementModel(_Part):
    id: str = Field(pattern=r"^[a-z0-9-]+$")
    covers: tuple[dt.date, dt.date]
    confidence: Literal["high", "moderate", "low"]


class JudgementsFile(_Strict):
    scale: dict[Literal["high", "moderate", "low"], Level]
    judgements: list[JudgementModel] = []


class BackgroundModel(_Part):
    heading: str


class WatchModel(_Part):
    signpost: str = Field(min_length=1, max_length=2000)  # what you would see if it moves
    bears_on: list[str] = []  # the key judgements it would confirm or overturn


class BottomLineModel(_Part):
    covers: tuple[dt.date, dt.date]


class GlossaryTerm(_Strict):
    text: str
    known_from: dt.date


class NarrativeFile(_Strict):
    bottom_line: list[BottomLineModel] = []
    background: list[BackgroundModel] = []
    watch: list[WatchModel] = []
    glossary: dict[str, str | GlossaryTerm] = {}


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
    checks: tuple[Check, ...] = ()
    known_from: dt.date | None = None
    line: int = 1
    signpost: str = ""
    bears_on: tuple[str, ...] = ()


@dataclass
class Narrative:
    scale: dict[str, Level] = field(default_factory=dict)
    judgements: list[Part] = field(default_factory=list)
    bottom_line: list[Part] = field(default_factory=list)
    background: list[Part] = field(default_factory=list)
    watch: list[Part] = field(default_factory=list)
    glossary: dict[str, str] = field(default_factory=dict)
    # When each glossary term could first have been written (None: always).
    glossary_known_from: dict[str, dt.date] = field(default_factory=dict)


def _line(text: str, needle: str) -> int:
    at = text.find(needle) if needle else -1
    return text.count("\n", 0, at) + 1 if at >= 0 else 1


def _key(loc: tuple) -> str:
    """A pydantic error location as a YAML key path: judgements[2].rests_on.events."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "-"


def _load(path: Path) -> object:
    """Bounded YAML: no tags, no alias or depth bombs, at most MAX_BYTES read."""
    return safe_yaml.load_file(path, max_bytes=MAX_BYTES)


def read(data_dir: Path, events: set[str] | None = None,
         sources: set[str] | None = None) -> tuple[Narrative, list[Problem]]:
    """Both files, and every problem in them (ids checked when the known ids are given)."""
    out, problems = Narrative(), []
    for name, model in ((JUDGEMENTS, JudgementsFile), (NARRATIVE, NarrativeFile)):
        path = Path(data_dir) / name
        where = display_path(path)
        if not path.is_file():
            continue  # a data folder without analysts' words gives a briefing without them
        with path.open("rb") as handle:  # bounded, like the loader: for line numbers only
            raw = handle.read(MAX_BYTES + 1).decode("utf-8", errors="replace")
        try:
            doc = _load(path)
        except (yaml.YAMLError, ValueError, RecursionError) as exc:
            mark = getattr(exc, "problem_mark", None)
            line = getattr(mark, "line", 0) + 1
            problems.append(Problem(where, line, "-", f"not valid YAML: {_one_line(exc)}"))
            continue
        try:
            parsed = model.model_validate(doc if doc is not None else {})
        except ValidationError as exc:
            for err in exc.errors():
                key = _key(err["loc"])
                needle = str(err["loc"][-1]) if err["loc"] else ""
                problems.append(Problem(where, _line(raw, f"{needle}:") if needle else 1, key,
                                        _one_line(err["msg"])))
            continue
        _collect(out, parsed, raw, where, events, sources, problems)
    known = {j.id for j in out.judgements}
    for w in out.watch:
        for j in w.bears_on:
            if out.judgements and j not in known:
                problems.append(Problem(display_path(Path(data_dir) / NARRATIVE), w.line,
                                        "bears_on", f"unknown judgement id '{j}'"))
    return out, problems


def _one_line(message: object) -> str:
    return " ".join(str(message).split())[:300]


def _collect(out: Narrative, parsed: BaseModel, raw: str, where: str, events, sources,
             problems: list[Problem]) -> None:
    def part(item: _Part, kind: str, needle: str, **extra) -> Part:
        got = Part(" ".join(item.text.split()), list(item.rests_on.events),
                   list(item.rests_on.sources), checks=tuple(item.checks),
                   known_from=item.known_from, line=_line(raw, needle), **extra)
        check(got, kind)
        return got

    def fail(got: Part, column: str, message: str) -> None:
        problems.append(Problem(where, got.line, column, message))

    def check(got: Part, kind: str) -> None:
        for column, words in (("text", got.text), ("signpost", got.signpost)):
            if NUMBER.search(PLACEHOLDER.sub("", words)):
                fail(got, column, "a digit is typed; numbers and dates must be {placeholders} "
                     "filled from the data")
            if CONTROL.search(words):
                fail(got, column, "control or bidirectional characters are not allowed")
        for kind_of, ids, known in (("event", got.events, events),
                                    ("source", got.sources, sources)):
            for i in ids if known is not None else []:
                if i not in known:
                    fail(got, "rests_on", f"unknown {kind_of} id '{i}'")
        for prefix, name in PLACEHOLDER.findall(got.text):
            if prefix == "date:" and events is not None and name not in events:
                fail(got, "text", f"{{date:{name}}} names an unknown event")

    if isinstance(parsed, JudgementsFile):
        out.scale = dict(parsed.scale)
        if tuple(out.scale) != CONFIDENCE:
            problems.append(Problem(where, _line(raw, "scale:"), "scale",
                                    f"expected the levels {', '.join(CONFIDENCE)} in that order"))
        for j in parsed.judgements:
            if j.covers[0] > j.covers[1]:
                problems.append(Problem(where, _line(raw, f"id: {j.id}"), "covers",
                                        "the first day is after the last"))
            out.judgements.append(part(j, "judgement", f"id: {j.id}", id=j.id,
                                       confidence=j.confidence, covers=j.covers))
    else:
        assert isinstance(parsed, NarrativeFile)
        out.bottom_line = [part(b, "bottom line", f"covers: [{b.covers[0]}", covers=b.covers)
                           for b in parsed.bottom_line]
        out.background = [part(b, "background section", f"heading: {b.heading}",
                               heading=b.heading) for b in parsed.background]
        out.watch = [part(w, "indicator", " ".join(w.text.split()[:4]),
                          signpost=" ".join(w.signpost.split()), bears_on=tuple(w.bears_on))
                     for w in parsed.watch]
        for term, value in parsed.glossary.items():
            text = value if isinstance(value, str) else value.text
            out.glossary[term] = " ".join(text.split())
            if isinstance(value, GlossaryTerm):
                out.glossary_known_from[term] = value.known_from
