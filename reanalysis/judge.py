"""Judging: one pure function of a printed value and the evidence an analysis returned.

The same evidence is applied to the printed value and to its neighbours, the values a misprint
of it would show. The share of neighbours the evidence rejects is the check's *strength*: near 1
for a recomputation from data, 0 for a check that accepts everything near the printed value (GRIM
with n = 14 at one decimal, a count below a large arm size), which therefore is not evidence.

Neighbours
----------
A number or age: the printed value moved by 1 to 10 units of its last printed digit either way
(20 values), keeping only those inside the domain of the quantity (a percentage in [0, 100], a
p-value in [0, 1], a count or SD at least 0). A printed bound (``"<0.05"``): its threshold moved
the same way, keeping the comparator, plus the opposite statement at the printed threshold
(``"≥0.05"``). A verbal reading of a bound (``reads_as``: "significant" as <0.05, a mark ``**``): only
the opposite statements, since the alternatives to a word or mark are the other words or marks. A phrase
read as a number ("an additional case" as 1) has the number's neighbours.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from reanalysis.rounding import Printed

STEPS = 10


@dataclass(frozen=True)
class Judgement:
    """What the evidence says of one printed value.

    Attributes
    ----------
    accepted : bool
    rule : str
        The rounding rule under which a recomputed value matches (``""`` for checks and rejections).
    value : object
        The recomputed value, or what a check found (None when nothing).
    detail : str
        A clause for the method text (what a check found for this printed value).
    strength : Fraction
        The share of neighbours the same evidence rejects.
    neighbours : tuple of Printed
        The neighbours the strength was taken over.
    boundary : bool
        A float statistic matched within 1e-9 relative of an interval end.
    rules : tuple of str
        Every rounding rule under which a recomputed value matches (empty for checks).
    decided : bool
        False when a check could not settle the printed value (see :class:`~reanalysis.context.Outcome`).
    """

    accepted: bool
    rule: str
    value: object
    detail: str
    strength: Fraction
    neighbours: tuple
    boundary: bool
    rules: tuple = ()
    decided: bool = True


def judge(printed: Printed, evidence, domain: tuple, verbal: bool) -> Judgement:
    """Apply ``evidence`` (a :class:`~reanalysis.analyses.Recomputed`) to ``printed`` and its neighbours."""
    accepted, rule, value, detail, decided = _apply(printed, evidence)
    near = neighbours(printed, domain, verbal)
    rejected = sum(1 for p in near if not _apply(p, evidence)[0])
    boundary = bool(rule) and printed.interval(rule).near_end(value)
    rules = () if evidence.check is not None else tuple(r for r in printed.rules() if printed.interval(r).contains(value))
    return Judgement(accepted, rule, value, detail, Fraction(rejected, len(near)) if near else Fraction(0), near,
                     boundary, rules, decided)


def neighbours(printed: Printed, domain: tuple, verbal: bool) -> tuple:
    """The printed values a misprint of ``printed`` would show, inside ``domain`` (see the module notes)."""
    if verbal and printed.kind == "bound":  # "significant" read as <0.05: only the opposite statement
        return tuple(p for p in printed.complement() if _inside(p, domain))
    shifted = (printed.shifted(s) for k in range(1, STEPS + 1) for s in (-k, k))
    near = tuple(p for p in shifted if _inside(p, domain))
    if printed.kind == "bound" and printed.upper is None:
        near += tuple(p for p in printed.complement() if _inside(p, domain))
    return near


def _apply(printed: Printed, evidence) -> tuple:
    if evidence.check is not None:
        outcome = evidence.check(printed)
        return outcome.ok, "", outcome.value, outcome.detail, outcome.decided
    rule = printed.match(evidence.value)
    return rule is not None, rule or "", evidence.value, "", True


def _inside(p: Printed, domain: tuple) -> bool:
    """Whether ``p`` can describe a quantity in ``domain``: a value inside it, or a bound that some of it meets."""
    low, high = domain
    if p.kind != "bound":
        return (low is None or p.value >= low) and (high is None or p.value <= high)
    iv = p.interval("bound")
    if low is not None and iv.high is not None and (iv.high < low or (iv.high == low and not iv.high_closed)):
        return False
    if high is not None and iv.low is not None and (iv.low > high or (iv.low == high and not iv.low_closed)):
        return False
    return True
