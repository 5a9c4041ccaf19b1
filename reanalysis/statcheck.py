"""p-values from printed test statistics, as statcheck computes them, and the tail probabilities and
odds of the t and normal distributions.

A paper that prints ``t(28) = 2.20, p = .036`` can be checked without its data: the printed
statistic, within its rounding, gives a range of p-values. The formulas and the consistency rules
are statcheck's (Nuijten et al., https://github.com/MicheleNuijten/statcheck: ``compute_p``,
``error_test``, the one-tailed correction); scipy computes the distributions.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal

from scipy import stats

from reanalysis.rounding import parse

PRINTED_TESTS = ("t", "F", "chi2", "z", "r")


_UPPER_TAIL_ONLY = ("F", "chi2")


_DF_NEEDED = {"t": (True, False), "r": (True, False), "chi2": (True, False), "F": (True, True), "z": (False, False)}


_ONE_SIDED_WORDS = re.compile(r"one.?sided|one.?tailed|directional", re.IGNORECASE)


@dataclass(frozen=True)
class Tail:
    """A tail probability ``p`` with its odds ``p / (1 - p)`` and odds against ``(1 - p) / p``."""

    probability: float
    odds: float
    odds_against: float
    method: str


def p_from_statistic(test: str, statistic: float, df: float | None = None, df2: float | None = None, *,
                     one_sided: bool = False) -> float:
    """The p-value of a printed test statistic, as statcheck computes it.

    Parameters
    ----------
    test : {"t", "F", "chi2", "z", "r"}
    statistic : float
        t, F, chi-square, z or Pearson's r.
    df, df2 : float, optional
        t: ``df``; F: ``df`` and ``df2``; chi-square: ``df``; r: ``df = n - 2``; z: none.
    one_sided : bool
        For t, z and r: the p-value in the direction of the statistic, half the two-sided one.
        An F or chi-square test has a single rejection region, its upper tail; asking for a
        one-sided version of it is a ValueError.

    Notes
    -----
    statcheck's ``compute_p``: ``pt(-abs(t), df)``, ``pnorm(abs(z), lower.tail = FALSE)``,
    r through ``t = r / sqrt((1 - r**2) / df)``, doubled unless one-sided;
    ``pf(F, df1, df2, lower.tail = FALSE)``; ``pchisq(x, df, lower.tail = FALSE)``. scipy's
    ``sf`` of the same distributions.

    Examples
    --------
    >>> round(p_from_statistic("t", 2.20, 28), 4)
    0.0362
    """
    _check_printed(test, statistic, df, df2)
    if test in _UPPER_TAIL_ONLY:
        if one_sided:
            raise ValueError(f"{test} test: the p-value is the upper tail; there is no one-sided version")
        return float(stats.f.sf(statistic, df, df2) if test == "F" else stats.chi2.sf(statistic, df))
    if test == "z":
        p = stats.norm.sf(abs(statistic))
    else:
        t = statistic
        if test == "r":
            t = math.inf if abs(statistic) == 1 else statistic / math.sqrt((1 - statistic ** 2) / df)
        p = stats.t.sf(abs(t), df)
    return float(p if one_sided else 2 * p)


def p_range(test: str, statistic, df: float | None = None, df2: float | None = None, *,
            one_sided: bool = False) -> tuple[float, float]:
    """The p-values a printed statistic can give: the statistic anywhere within its rounding.

    Parameters
    ----------
    statistic : Printed
        As printed (:func:`reanalysis.rounding.parse`): ``"2.20"`` stands for t in [2.195, 2.205).
    test, df, df2, one_sided
        As :func:`p_from_statistic`.

    Returns
    -------
    (float, float)
        The smallest and the largest p: statcheck's ``error_test`` range. A statistic whose interval
        holds 0 reaches p = 1; r is held within [-1, 1].

    Examples
    --------
    >>> [round(p, 4) for p in p_range("t", parse("2.20"), 28)]
    [0.0358, 0.0366]
    """
    if statistic.kind != "number":
        raise ValueError(f"statistic {statistic.text!r}: expected a printed number")
    iv = statistic.interval("half_up")
    ends = sorted(abs(Decimal(x)) for x in (iv.low, iv.high))
    smallest = Decimal(0) if iv.low < 0 < iv.high else ends[0]
    largest = min(ends[1], Decimal(1)) if test == "r" else ends[1]
    return (p_from_statistic(test, float(largest), df, df2, one_sided=one_sided),
            p_from_statistic(test, float(smallest), df, df2, one_sided=one_sided))


def p_consistent(test: str, statistic, p, df: float | None = None, df2: float | None = None, *,
                 one_sided: bool = False) -> bool:
    """Whether a printed p-value can come from a printed statistic: statcheck's error test, negated.

    Parameters
    ----------
    statistic, p : Printed
        As printed: ``"2.20"``; ``"0.036"``, ``"<0.05"`` (a bound) or a range reading.
    test, df, df2, one_sided
        As :func:`p_from_statistic`.

    Notes
    -----
    The printed p stands for an interval (its rounding, or the half-line a bound states); it is
    consistent when that interval meets :func:`p_range`. statcheck rounds the range's ends to the
    printed decimals instead; the two differ only when an end rounds exactly to a tie. A printed p of
    0 is never consistent (statcheck's ``pZeroError``).

    Examples
    --------
    >>> p_consistent("t", parse("2.20"), parse("0.036"), 28), p_consistent("t", parse("2.20"), parse("0.018"), 28)
    (True, False)
    """
    low, high = p_range(test, statistic, df, df2, one_sided=one_sided)
    if p.kind == "number" and p.value <= 0:
        return False
    iv = p.interval("bound" if p.kind == "bound" else "half_up")
    below = iv.high is None or Decimal(low) < iv.high or (Decimal(low) == iv.high and iv.high_closed)
    above = iv.low is None or Decimal(high) > iv.low or (Decimal(high) == iv.low and iv.low_closed)
    return below and above


def consistent_one_sided_only(test: str, statistic, p, df: float | None = None,
                              df2: float | None = None, *, text: str) -> bool:
    """Whether a printed p-value is consistent only as a one-sided test, and the text says so.

    Parameters
    ----------
    text : str
        The paper's text, searched as statcheck does (:func:`mentions_one_sided`).

    Returns
    -------
    bool
        True when the p-value is inconsistent as two-sided, consistent as one-sided (half the
        two-sided p), and the text mentions a one-sided test: statcheck's ``OneTailedTxt``
        correction. Always False for F and chi-square tests, which have no one-sided reading.

    Examples
    --------
    >>> consistent_one_sided_only("t", parse("2.20"), parse("0.018"), 28, text="one-tailed t-tests")
    True
    """
    if test in _UPPER_TAIL_ONLY or p_consistent(test, statistic, p, df, df2):
        return False
    return mentions_one_sided(text) and p_consistent(test, statistic, p, df, df2, one_sided=True)


def mentions_one_sided(text: str) -> bool:
    """Whether ``text`` mentions a one-sided test: statcheck's ``one.?sided|one.?tailed|directional``.

    Examples
    --------
    >>> mentions_one_sided("a one-tailed test"), mentions_one_sided("two-sided")
    (True, False)
    """
    return _ONE_SIDED_WORDS.search(text) is not None


def tail_probability(statistic: float, df: float | None = None, *, two_sided: bool = False) -> Tail:
    """Upper-tail probability ``P(T > t)``, or two-sided ``P(|T| > |t|)``, of t (df) or z (no df).

    Notes
    -----
    ``scipy.stats.t.sf`` / ``scipy.stats.norm.sf`` (R: ``pt(t, df, lower.tail = FALSE)``,
    ``2 * pt(-abs(t), df)``, ``pnorm``). The complement is ``P(T <= t)`` from ``cdf`` for the
    upper tail and ``1 - p`` two-sided; the odds are ``p / (1 - p)`` and ``(1 - p) / p``, inf
    where a denominator is 0.

    Examples
    --------
    >>> round(tail_probability(1.6448536269514722).odds_against, 6)
    19.0
    """
    if not math.isfinite(statistic):
        raise ValueError(f"tail probability: the statistic must be finite, got {statistic!r}")
    if df is not None and not df > 0:
        raise ValueError(f"tail probability: df must be positive, got {df!r}")
    dist = stats.norm() if df is None else stats.t(df)
    if two_sided:
        p = float(2 * dist.sf(abs(statistic)))
        q = 1 - p
    else:
        p, q = float(dist.sf(statistic)), float(dist.cdf(statistic))
    name = "normal" if df is None else f"t ({df:g} df)"
    return Tail(p, _ratio(p, q), _ratio(q, p),
                f"{'two-sided P(|T| > |t|)' if two_sided else 'upper tail P(T > t)'} of the {name} distribution "
                f"(scipy.stats sf; R: {'pnorm' if df is None else 'pt'})")


def _ratio(a: float, b: float) -> float:
    return a / b if b else math.inf


def _check_printed(test: str, statistic: float, df, df2) -> None:
    if test not in PRINTED_TESTS:
        raise ValueError(f"unknown test {test!r}; known: {', '.join(PRINTED_TESTS)}")
    if not math.isfinite(statistic):
        raise ValueError(f"{test} test: the statistic must be finite, got {statistic!r}")
    for name, value, needed in zip(("df", "df2"), (df, df2), _DF_NEEDED[test]):
        if needed and (value is None or not value > 0):
            raise ValueError(f"{test} test: needs a positive {name}, got {value!r}")
        if not needed and value is not None:
            raise ValueError(f"{test} test: takes no {name}, got {value!r}")
    if test in _UPPER_TAIL_ONLY and statistic < 0:
        raise ValueError(f"{test} test: the statistic cannot be negative, got {statistic!r}")
    if test == "r" and abs(statistic) > 1:
        raise ValueError(f"r: a correlation must be in [-1, 1], got {statistic!r}")
