"""Whether an analysts' claim is true of the numbers beside it: each declared condition checked.

A judgement declares the conditions that make its words true (`checks` in judgements.yaml):
a sign (the interval excludes zero, in the claimed direction), a comparison (A exceeds B,
with the interval of the difference clear of zero), an existence (the window holds the
months, phases or events compared). Its confidence level promises a support (a number of
distinct publishers, of given grades, among its sources), which is checked too. A claim
whose conditions fail is not printed: `rusturk validate` names it, and an edition withholds
it and says why.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from rusturk.analysis import stats
from rusturk.analysis.registry import Quantity, Registry
from rusturk.common.text import signed
from rusturk.data.narrative import Check, Level, Part


@dataclass(frozen=True)
class Outcome:
    """One condition of one claim: what it requires, the values behind it, and the verdict."""

    claim: str
    condition: str
    values: str
    passed: bool

    def line(self) -> str:
        verdict = "holds" if self.passed else "fails"
        return f"{self.claim}: {self.condition} {verdict} ({self.values})"


def _interval(q: Quantity) -> str:
    if np.isnan(q.low) or np.isnan(q.high):
        return f"{q.label} {q.text}, n = {q.n}, no interval"
    return f"{q.label} {q.text}, {q.bounds}, n = {q.n}"


def sign(q: Quantity, direction: str) -> tuple[bool, str]:
    """Whether the interval of `q` lies wholly on the claimed side of zero.

    Examples:
        >>> q = Quantity("m", "mean", 0.95, "+0.95", 141, -0.03, 2.0, sampled=True)
        >>> sign(q, "positive")[0], sign(Quantity("m", "mean", 1, "+1", 9, 0.2, 2.0), "positive")[0]
        (False, True)
        >>> sign(Quantity("k", "killed", 3, "3", 1), "positive")[0]
        True
        >>> sign(Quantity("m", "mean", 5, "+5", 1, sampled=True), "positive")[0]
        False
    """
    if np.isnan(q.low) or np.isnan(q.high):
        if q.sampled or np.isnan(q.value):
            return False, _interval(q)  # a mean of too few events has no interval to judge
        low = high = q.value  # a count or a toll: its value is its only reading
    else:
        low, high = q.low, q.high
    if direction == "indeterminate":
        return bool(q.sampled and low <= 0 <= high), _interval(q)
    ok = low > 0 if direction == "positive" else high < 0
    return bool(ok), _interval(q)


def exceeds(a: Quantity, b: Quantity, seed: int = stats.SEED) -> tuple[bool, str]:
    """Whether `a` exceeds `b` with room to spare.

    Two counts of the same analysed events are compared by resampling those events: the
    interval of the difference of the counts must lie above zero. Quantities without such
    a sample (tolls, readings) must not overlap: the lowest reading of `a` above the highest
    of `b`.

    Examples:
        >>> a = Quantity("a", "a", 12, "12", 20, indicator=(1,) * 12 + (0,) * 8)
        >>> b = Quantity("b", "b", 2, "2", 20, indicator=(0,) * 12 + (1,) * 2 + (0,) * 6)
        >>> exceeds(a, b)[0], exceeds(b, a)[0], exceeds(a, a)[0]
        (True, False, False)
    """
    if a.indicator and len(a.indicator) == len(b.indicator):
        diff = np.asarray(a.indicator, dtype=float) - np.asarray(b.indicator, dtype=float)
        e = stats.bootstrap_mean(diff, seed=seed)
        n = len(diff)
        low, high = e.low * n, e.high * n
        values = (f"{a.label} {a.text} against {b.label} {b.text}; difference "
                  f"{signed(a.value - b.value, 0)}, {int(stats.CONFIDENCE * 100)}% interval "
                  f"{signed(low, 1)} to {signed(high, 1)}, n = {n}")
        return bool(n >= 2 and low > 0), values
    a_low = a.value if np.isnan(a.low) else a.low
    b_high = b.value if np.isnan(b.high) else b.high
    values = f"{a.label} {a.text} (lowest {a_low:,.0f}) against {b.label} {b.text} " \
             f"(highest {b_high:,.0f})"
    return bool(a_low > b_high), values


def holds(h, start: pd.Timestamp, end: pd.Timestamp, phases: pd.DataFrame,
          event_days: pd.Series) -> tuple[bool, str]:
    """Whether the window holds every month, phase and event that a comparison names.

    Examples:
        >>> from rusturk.data.narrative import Holds
        >>> p = pd.DataFrame({"phase_id": ["x"], "start": [pd.Timestamp("2020-01-01")],
        ...                   "end": [pd.Timestamp("2020-03-31")]})
        >>> holds(Holds(months=["2020-01", "2020-02"]), pd.Timestamp("2020-02-01"),
        ...       pd.Timestamp("2020-02-29"), p, pd.Series(dtype="datetime64[ns]"))
        (False, 'missing month 2020-01')
    """
    missing = []
    for m in h.months:
        first = pd.Timestamp(f"{m}-01")
        last = first + pd.offsets.MonthEnd(0)
        if first < start or last > end:
            missing.append(f"month {m}")
    by_id = phases.set_index("phase_id") if len(phases) else phases
    for p in h.phases:
        if p not in by_id.index or by_id.loc[p, "end"] < start or by_id.loc[p, "start"] > end:
            missing.append(f"phase {p}")
    for e in h.events:
        when = event_days.get(e)
        if when is None or pd.isna(when) or not start <= when <= end:
            missing.append(f"event {e}")
    return not missing, ("missing " + ", ".join(missing)) if missing else "all in the window"


def support(part: Part, level: Level, sources: pd.DataFrame,
            end: pd.Timestamp) -> tuple[bool, str]:
    """Whether the claim's sources give the support its confidence level promises: at least
    `min_publishers` distinct publishers graded in `grades`, not mirrors or feeds, published
    by the edition's end."""
    cited = sources[sources["source_id"].isin(part.sources)]
    published = cited["publication_date"]
    cited = cited[published.isna() | (published <= end)]
    usable = cited[cited["reliability"].astype(str).isin(level.grades)
                   & ~cited["copy_type"].astype(str).isin(("mirror", "aggregator"))]
    publishers = {str(p).split(" (via ")[0].split(" (")[0].strip().lower()
                  for p in usable["publisher"]}
    ok = len(publishers) >= level.min_publishers
    return ok, (f"{len(publishers)} distinct publishers graded {'/'.join(level.grades)}; "
                f"{level.min_publishers} required")


def describe(check: Check, reg: Registry | None = None) -> str:
    """A condition in words, naming quantities by their labels where the period has them."""
    def label(name: str | None) -> str:
        return reg[name].label if reg is not None and name in reg else str(name)

    if check.sign is not None:
        if check.is_ == "indeterminate":
            return f"the interval of {label(check.sign)} spans zero"
        side = "above" if check.is_ == "positive" else "below"
        return f"{label(check.sign)} lies {side} zero"
    if check.exceeds is not None:
        return f"{label(check.exceeds)} exceed {label(check.over)}"
    h = check.holds
    named = [*h.months, *h.phases, *h.events]
    return f"the window holds {', '.join(named)}"


def evaluate(part: Part, claim: str, reg: Registry, phases: pd.DataFrame,
             event_days: pd.Series, sources: pd.DataFrame,
             level: Level | None) -> list[Outcome]:
    """Every condition of one claim on one period's quantities."""
    out = []
    for check in part.checks:
        condition = describe(check, reg)
        names = [n for n in (check.sign, check.exceeds, check.over) if n]
        unknown = [n for n in names if n not in reg]
        if unknown:
            out.append(Outcome(claim, condition, f"no quantity {', '.join(unknown)} in "
                               f"{reg.period}", False))
            continue
        if check.sign is not None:
            ok, values = sign(reg[check.sign], str(check.is_))
        elif check.exceeds is not None:
            ok, values = exceeds(reg[check.exceeds], reg[str(check.over)])
        else:
            ok, values = holds(check.holds, reg.start, reg.end, phases, event_days)
        out.append(Outcome(claim, condition, values, ok))
    if level is not None:
        ok, values = support(part, level, sources, reg.end)
        out.append(Outcome(claim, f"{part.confidence} confidence's support", values, ok))
    return out
