"""Exact descriptive arithmetic on transcribed decimals: no binary float decides a verdict.

A transcribed cell such as ``2.33`` is read from its CSV text as the fraction 233/100, so sums,
means, differences, proportions and variances of cells are exact rationals. A standard deviation
is kept as the square root of an exact variance (:class:`Root`) and compared through its square,
so no square root is ever rounded before it is judged.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, localcontext
from fractions import Fraction

# Enough digits that a terminating decimal (every exact mean of transcribed decimals over n <= 10**9
# rows whose denominator has only the factors 2 and 5) converts without loss, and that an inexact one
# can never land on a rounding tie.
_DIGITS = 60


@dataclass(frozen=True)
class Root:
    """The non-negative square root of an exact rational, kept unevaluated (an SD is ``Root(variance)``)."""

    square: Fraction

    def __post_init__(self):
        if self.square < 0:
            raise ValueError(f"Root of a negative number {self.square}")

    def __float__(self) -> float:
        return float(to_decimal(self))


def to_decimal(x) -> Decimal:
    """``x`` as a Decimal: exact for a Decimal, a terminating Fraction and a float's shortest repr;
    60 significant digits for other fractions and for roots.

    Examples
    --------
    >>> to_decimal(Fraction(2675, 1000))
    Decimal('2.675')
    >>> to_decimal(Root(Fraction(2)))
    Decimal('1.41421356237309504880168872420969807856967187537694807318')
    """
    if isinstance(x, Decimal):
        return x
    if isinstance(x, Root):
        with localcontext() as ctx:
            ctx.prec = _DIGITS
            return (+to_decimal(x.square)).sqrt()
    if isinstance(x, Fraction):
        with localcontext() as ctx:
            ctx.prec = _DIGITS
            return (Decimal(x.numerator) / Decimal(x.denominator)).normalize()
    return Decimal(repr(float(x)))


def mean(values) -> Fraction:
    """Arithmetic mean of exact values (R: ``mean(x)``, without its floating-point rounding).

    Examples
    --------
    >>> mean([Fraction("2.32"), Fraction("2.34")])
    Fraction(233, 100)
    """
    values = _nonempty(values, "mean")
    return sum(values, Fraction(0)) / len(values)


def variance(values, ddof: int = 1) -> Fraction:
    """Exact variance with denominator ``n - ddof`` (``ddof=1``: R's ``var(x)``; ``ddof=0``: divide by n)."""
    values = _nonempty(values, "variance")
    if len(values) <= ddof:
        raise ValueError(f"variance with denominator n - {ddof} needs more than {ddof} values, got {len(values)}")
    m = mean(values)
    return sum(((v - m) ** 2 for v in values), Fraction(0)) / (len(values) - ddof)


def sd(values, ddof: int = 1) -> Root:
    """Sample SD as an exact :class:`Root` (``ddof=1``: R's ``sd(x)``)."""
    return Root(variance(values, ddof))


def _nonempty(values, what: str) -> list:
    values = [Fraction(v) for v in values]
    if not values:
        raise ValueError(f"{what}: needs at least one value")
    return values
