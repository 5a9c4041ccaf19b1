"""Propose why a printed number does not reproduce: the usual slips, tested one by one.

Each check is pure: the printed value, the recomputed value and the evidence the engine
gathered in, a :class:`Proposal` (or nothing) out. A proposal is only made when it reproduces
the printed text exactly under the rounding engine; nothing here widens an interval.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

import numpy as np

from reanalysis import rounding
from reanalysis.exact import to_decimal


@dataclass(frozen=True)
class Proposal:
    """A diagnosis: its kind (``transposition``, ``alternative``, ``other_row_value``,
    ``double_rounding``, ``directed_rounding``, ``infeasible``, ``truncation``, ``cannot_fail``, ``circular``) and a sentence a reader can check."""

    kind: str
    text: str


def fmt(x) -> str:
    """Six significant digits, positional notation, trailing zeros trimmed (of an exact value too)."""
    return np.format_float_positional(float(x), precision=6, unique=False, fractional=False, trim="-")


def sig(x, digits: int = 3) -> str:
    """``digits`` significant digits in positional notation, trailing zeros kept (``11.0``, ``0.597``,
    ``0.000123``): how the report and figures show estimates, CIs and p-values; the CSVs keep full precision."""
    return np.format_float_positional(float(x), precision=digits, unique=False, fractional=False, trim="k").rstrip(".")


def transposition(printed: rounding.Printed, value: float) -> Proposal | None:
    """Two adjacent digits swapped in print (``0.12`` printed as ``0.21``); plain numbers only."""
    if printed.kind != "number":
        return None
    text = printed.text
    for i in range(len(text) - 1):
        a, b = text[i], text[i + 1]
        if a.isdigit() and b.isdigit() and a != b:
            swapped = text[:i] + b + a + text[i + 2:]
            try:
                candidate = rounding.parse(swapped, printed.decimal_comma)
            except ValueError:
                continue
            if candidate.match(value) is not None:
                return Proposal("transposition", f"digit transposition: the data give {fmt(value)}, which prints as "
                                f"{swapped}; {text} swaps two adjacent digits")
    return None


def alternative(printed: rounding.Printed, label: str, value: float, method: str) -> Proposal | None:
    """Another computation (definition, subset, denominator, test) that reproduces the printed value."""
    rule = printed.match(value)
    if rule is None:
        return None
    return Proposal("alternative", f"reproduced by a different computation, {label}: {fmt(value)} ({method})")


def other_row_value(printed: rounding.Printed, statistic: str, value: float, cells: list) -> Proposal | None:
    """The printed extreme is another row's value of the same column (``cells`` is ``[(key, value), ...]``)."""
    for key, cell in cells:
        if printed.interval("half_up").contains(cell) and cell != value:
            rank = 1 + sum(1 for _, c in cells if (c < cell if statistic == "minimum" else c > cell))
            return Proposal("other_row_value", f"the printed value is row {key}'s value ({fmt(cell)}, rank {rank} "
                            f"from the {'bottom' if statistic == 'minimum' else 'top'}), not the {statistic} "
                            f"{fmt(value)}")
    return None


def double_rounding(printed: rounding.Printed, value: float) -> Proposal | None:
    """An age mean in months first rounded to 0.1 year, then split into years and truncated months."""
    if printed.kind != "age":
        return None
    years = (to_decimal(value) / 12).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    months = (years * 12).quantize(Decimal(1), rounding=ROUND_DOWN)
    if months != printed.value:
        return None
    return Proposal("double_rounding", f"double rounding: {fmt(value)} months = {fmt(to_decimal(value) / 12)} years, rounded to "
                    f"{years} years, whose {years % 1} year = {years % 1 * 12} months was truncated to "
                    f"{int(months) % 12}; direct rounding of the months gives "
                    f"{printed.format(value)}")


def truncation(printed: rounding.Printed, value: float) -> Proposal:
    """Say that a value reproduces only when the paper truncates instead of rounding."""
    return Proposal("truncation", f"reproduced only by truncation: {fmt(value)} prints as {printed.text} when "
                    f"digits are dropped, as {printed.format(value)} when rounded")


def directed_rounding(printed: rounding.Printed, value) -> Proposal | None:
    """A value that prints as the text only when rounded up (ceiling) or down (floor), which no paper's
    rounding is assumed to do: named, not accepted."""
    if printed.kind != "number":
        return None
    for rule in rounding.DIRECTED:
        if printed.interval(rule).contains(value):
            rounded = printed.format(value)
            if "\u2212" in printed.text:  # print the minus as the paper does
                rounded = rounded.replace("-", "\u2212")
            return Proposal("directed_rounding", f"reproduced only by {rounding.RULE_NAMES[rule]}: {fmt(value)} prints "
                            f"as {printed.text} under it, as {rounded} when rounded")
    return None


def infeasible(printed: rounding.Printed, bound: float, method: str) -> Proposal:
    """A printed cell larger than the data allow."""
    return Proposal("infeasible", f"impossible value: {printed.text} exceeds the largest value the same row "
                    f"allows, {fmt(bound)} ({method})")


def cannot_fail(printed: rounding.Printed, neighbours: tuple) -> Proposal:
    """The only check there is accepts the printed value and every neighbour: it is not evidence."""
    if not neighbours:
        return Proposal("cannot_fail", f"no check is possible: {printed.text} has no neighbouring printed value in the "
                        "domain of the quantity")
    ordered = sorted(neighbours, key=lambda p: p.value)
    span = ", ".join(p.text for p in ordered) if len(ordered) <= 3 else f"{ordered[0].text} to {ordered[-1].text}"
    return Proposal("cannot_fail", f"the only check cannot fail at the printed precision: it accepts {printed.text} and "
                    f"every one of its {len(neighbours)} neighbouring printed values ({span}), so it is not evidence "
                    "(strength 0; the method names the check)")


def circular(cells: str) -> Proposal:
    """The analysis read a cell transcribed from the claim's own printed text: it cannot check it."""
    return Proposal("circular", f"circular: {cells} was transcribed from this claim's own printed text, so it "
                    "cannot check it; no independent evidence is transcribed")
