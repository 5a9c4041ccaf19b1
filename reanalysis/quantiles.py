"""Exact sample quantiles: R's nine quantile types on rational numbers.

Transcribed values are exact fractions (``Fraction("2.73")``), and so are the probabilities
(``"0.25"`` is read as 1/4), so every quantile here is an exact rational: the order statistic or
the linear interpolation between two of them that Hyndman and Fan (1996) define for each type,
with no binary floating point anywhere.

R's fuzz
--------
R's ``quantile.default`` computes the position ``n * p + m`` in doubles. In types 4-9 it adds
a fuzz of ``4 * .Machine$double.eps`` before taking the floor, and sets the interpolation
weight to 0 when it is within that fuzz of 0, so that a position meant to be a whole number but
computed a hair below or above it still lands on it; R 4.2 applies no fuzz in types 1-3, R >= 4.4
applies the same one there. Here the position is an exact rational, so its floor and its
fractional part are exact and no fuzz is needed or applied: where the exact position is a whole
number we take that order statistic, which is what the fuzz is for. The two agree except where
R's double position misses the whole number by more than the fuzz, which an absolute
``4 * eps`` only guards against for positions below 8: R 4.2 gives ``quantile(1:1390, 0.7,
type = 2) = 973`` because ``1390 * 0.7`` is ``972.9999999999999`` in doubles (R bug PR#15811),
where the definition, and this module, give 973.5.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction
from numbers import Rational

# (a, b) of Hyndman and Fan's continuous types: the position is a + p (n + 1 - a - b).
_CONTINUOUS = {
    4: (Fraction(0), Fraction(1)),
    5: (Fraction(1, 2), Fraction(1, 2)),
    6: (Fraction(0), Fraction(0)),
    7: (Fraction(1), Fraction(1)),
    8: (Fraction(1, 3), Fraction(1, 3)),
    9: (Fraction(3, 8), Fraction(3, 8)),
}


def quantile(values, prob, type: int = 7) -> Fraction:
    """Sample quantile of type 1 to 9, computed exactly.

    Parameters
    ----------
    values : sequence of Fraction or int
        The observations, in any order. Floats are refused: their binary value is not the
        decimal that was printed.
    prob : Fraction, int, Decimal or str
        The probability in [0, 1]; a string such as ``"0.25"`` is read exactly as 1/4.
    type : int
        Hyndman and Fan's type, 1 to 9 (R's ``type`` argument; 7 is R's default).

    Returns
    -------
    Fraction

    Raises
    ------
    ValueError
        For no values, a float value, a probability outside [0, 1] or given as a float, or a
        type other than 1 to 9.

    Notes
    -----
    With ``x[1] <= ... <= x[n]`` the sorted values, and ``x[j]`` read as ``x[1]`` for ``j < 1``
    and ``x[n]`` for ``j > n``:

    - types 1-3 (discontinuous): ``j = floor(n p + m)``, ``g = n p + m - j`` with ``m = 0``
      (types 1, 2) or ``-1/2`` (type 3). Type 1 (inverse of the empirical distribution) is
      ``x[j]`` if ``g = 0``, else ``x[j + 1]``; type 2 averages ``x[j]`` and ``x[j + 1]`` when
      ``g = 0``; type 3 (nearest even order statistic) is ``x[j]`` if ``g = 0`` and ``j`` is even.
    - types 4-9 (continuous): with ``(a, b)`` = (0, 1), (1/2, 1/2), (0, 0), (1, 1), (1/3, 1/3),
      (3/8, 3/8), the position is ``a + p (n + 1 - a - b) = j + g`` and the quantile is
      ``(1 - g) x[j] + g x[j + 1]``.

    Equivalent R call: ``quantile(x, p, type = type)``, without R's floating point (see the
    module notes on R's fuzz).

    Examples
    --------
    >>> quantile([Fraction(1), Fraction(2), Fraction(4), Fraction(8)], "0.25")
    Fraction(7, 4)
    >>> quantile([Fraction(1), Fraction(2), Fraction(4), Fraction(8)], "0.25", type=6)
    Fraction(5, 4)
    """
    x = sorted(_values(values))
    p = _probability(prob)
    if not isinstance(type, int) or isinstance(type, bool) or not 1 <= type <= 9:
        raise ValueError(f"quantile type must be a whole number 1 to 9 (R's type argument), got {type!r}")
    n = len(x)
    if type <= 3:
        position = n * p - (Fraction(1, 2) if type == 3 else 0)
        j = math.floor(position)
        if type == 1:
            g = Fraction(position > j)
        elif type == 2:
            g = Fraction(1, 2) if position == j else Fraction(1)
        else:
            g = Fraction(position != j or j % 2 == 1)
    else:
        a, b = _CONTINUOUS[type]
        position = a + p * (n + 1 - a - b)
        j = math.floor(position)
        g = position - j
    low, high = x[min(max(j, 1), n) - 1], x[min(max(j + 1, 1), n) - 1]
    return (1 - g) * low + g * high


def median(values) -> Fraction:
    """The sample median, exactly: the middle value, or the mean of the two middle values.

    Notes
    -----
    The type 7 quantile at 1/2, which equals the usual median for every ``n``. R: ``median(x)``.

    Examples
    --------
    >>> median([Fraction(3), Fraction(1), Fraction(4), Fraction(2)])
    Fraction(5, 2)
    """
    return quantile(values, Fraction(1, 2), 7)


def iqr(values, type: int = 7) -> Fraction:
    """Interquartile range: the 3/4 quantile minus the 1/4 quantile, of the given type, exactly.

    Notes
    -----
    R: ``IQR(x, type = type)``.

    Examples
    --------
    >>> iqr([Fraction(1), Fraction(2), Fraction(4), Fraction(8)])
    Fraction(13, 4)
    """
    return quantile(values, Fraction(3, 4), type) - quantile(values, Fraction(1, 4), type)


def _values(values) -> list:
    values = list(values)
    if not values:
        raise ValueError("quantile: needs at least one value")
    for v in values:
        if not isinstance(v, Rational):
            raise ValueError(f"quantile: values must be exact (Fraction or int), got {v!r}; "
                             "read them from their decimal text with Fraction('2.73')")
    return [Fraction(v) for v in values]


def _probability(prob) -> Fraction:
    if isinstance(prob, (Rational, Decimal)):
        p = Fraction(prob)
    elif isinstance(prob, str):
        try:
            p = Fraction(prob)
        except ValueError:
            raise ValueError(f"quantile: probability {prob!r} is not a number") from None
    else:
        raise ValueError(f"quantile: probability must be exact (Fraction, int, Decimal or decimal text), "
                         f"got {prob!r}")
    if not 0 <= p <= 1:
        raise ValueError(f"quantile: probability must be in [0, 1], got {prob!r}")
    return p
