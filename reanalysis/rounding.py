"""The rounding engine: what interval of true values a printed string can stand for.

A published number is kept as the text printed, because trailing zeros carry its precision:
``"0.016"`` stands for every true value that rounds to it, ``[0.0155, 0.0165)`` under
half-up rounding. This module is the only place that turns printed text into numbers and
decides whether a recomputed value is inside what the text can mean.

Rules
-----
``half_up``
    Round half away from zero, the rule of hand calculation and most statistics packages'
    displays. ``"2.46"`` is ``[2.455, 2.465)``.
``half_even``
    Round half to even (IEEE 754, R's ``round``). Differs from ``half_up`` only at exact ties.
``binary``
    Round the nearest binary double of the value half to even, as ``printf``, R's ``sprintf`` and
    Python's ``format`` print a stored number: an exact 2.675 is stored as 2.67499999999999982...
    and prints as ``"2.67"``. Differs from ``half_up`` only within about 1e-16 relative of a tie.
``truncate``
    Drop the digits past the last printed one (toward zero), as ages in completed years and
    months are. ``"17 years, 9 months"`` is ``[213, 214)`` months.
``half_either``, ``ceiling``, ``floor``
    Round a tie either way (scrutiny's ``"up_or_down"``: ``"2.46"`` is ``[2.455, 2.465]``), round up
    or round down. No software prints that way by default, so none is accepted on its own: a value
    that prints only under one of them is a discrepancy, and the diagnosis names the rule.
``nearest``
    The union of ``half_up``, ``half_even`` and ``binary``: rounding to nearest, whatever the tie
    rule. The consistency checks (GRIM, GRIMMER, DEBIT, reconstruction) read printed values so.
``bound``
    A printed inequality (``"<0.05"``) stands for the open or closed half-line it states.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
import math
import struct
from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_FLOOR, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

from reanalysis.exact import Root, to_decimal

RULES = ("half_up", "half_even", "binary", "truncate")  # accepted, tried in this order
DIRECTED = ("half_either", "ceiling", "floor")  # named in a diagnosis, never accepted
RULE_NAMES = {
    "half_up": "rounding half away from zero",
    "half_even": "rounding half to even",
    "binary": "rounding of the stored binary value (the nearest double, printed half to even as printf, "
              "R's sprintf and Python's format do)",
    "half_either": "rounding a tie down",
    "nearest": "rounding to nearest (a tie half up, half to even or as the stored binary value rounds)",
    "truncate": "truncation (digits dropped, not rounded)",
    "ceiling": "rounding up (ceiling)",
    "floor": "rounding down (floor)",
    "bound": "printed bound",
}
_QUANTIZE = {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN, "truncate": ROUND_DOWN,
             "ceiling": ROUND_CEILING, "floor": ROUND_FLOOR}

_SIGN = "+\u2212\u2013-"  # plus, minus sign, the en dash extractions print for a minus, hyphen-minus (last: literal)
_DIGITS = {False: r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+", True: r"\d+(?:,\d+)?|,\d+"}
_OP = r"<=|>=|<|>|\u2264|\u2265"
_LABEL = re.compile(rf"^(?:[pP](?:[ -]?values?)?|[nN]|df|[tWUzZFr]|\u03c7[2\u00b2])\s*(?P<op>=|{_OP})\s*(?P<rest>.+)$")
_AGE = re.compile(r"^(?P<years>\d+) years?, (?P<months>\d+) months?$")
_ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
         "seventeen eighteen nineteen").split()
_TENS = {w: 10 * i for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if i > 1}
_SCALES = {"thousand": 1000, "million": 10 ** 6, "billion": 10 ** 9}
_OPERATORS = {"<=": "\u2264", ">=": "\u2265"}
_RANGE = re.compile(r"^(?P<open>[\[(])(?P<low>\d+(?:\.\d+)?), (?P<high>\d+(?:\.\d+)?)(?P<close>[\])])$")
BOUNDARY = Decimal("1e-9")  # relative distance from an interval end at which a float match is "at the boundary"


@dataclass(frozen=True)
class Interval:
    """A set of real numbers between two bounds; ``None`` is an infinite bound."""

    low: Decimal | None
    high: Decimal | None
    low_closed: bool
    high_closed: bool

    def contains(self, x) -> bool:
        """Whether ``x`` lies in the interval, compared exactly (no tolerance).

        Fractions and Decimals (exact recomputations) are compared as they are; a :class:`Root`
        (an exact SD) through its square, so no square root is rounded. A float ``x`` (a library
        statistic) is read as the shortest decimal that round-trips to the same double (``repr``).
        """
        if isinstance(x, Root):
            return self._contains_root(x.square)
        if isinstance(x, Fraction):
            low, high = self._fractions  # Fraction against Fraction: exact and much faster than against Decimal
        else:
            low, high, x = self.low, self.high, x if isinstance(x, Decimal) else as_decimal(x)
        if low is not None and (x < low or (x == low and not self.low_closed)):
            return False
        if high is not None and (x > high or (x == high and not self.high_closed)):
            return False
        return True

    @functools.cached_property
    def _fractions(self) -> tuple:
        return tuple(None if end is None else Fraction(end) for end in (self.low, self.high))

    def _contains_root(self, square: Fraction) -> bool:
        if self.high is not None:
            if self.high < 0:
                return False
            top = Fraction(self.high) ** 2
            if square > top or (square == top and not self.high_closed):
                return False
        if self.low is not None and self.low >= 0:
            bottom = Fraction(self.low) ** 2
            if square < bottom or (square == bottom and not self.low_closed):
                return False
        return True

    def near_end(self, x) -> bool:
        """Whether a float statistic lies within 1e-9 relative of an end, where binary rounding in
        the library that computed it could decide the comparison (exact values never do)."""
        if not isinstance(x, float):
            return False
        return any(end is not None and abs(as_decimal(x) - end) <= BOUNDARY * max(abs(end), Decimal(1).scaleb(-300))
                   for end in (self.low, self.high))

    def __str__(self) -> str:
        low = "-inf" if self.low is None else _shown(self.low)
        high = "inf" if self.high is None else _shown(self.high)
        return f"{'[' if self.low_closed else '('}{low}, {high}{']' if self.high_closed else ')'}"


@dataclass(frozen=True)
class Printed:
    """A published number as printed, with the value and precision the text carries.

    Attributes
    ----------
    text : str
        The printed text, verbatim.
    kind : {"number", "bound", "age"}
        ``"age"`` values are in months; words such as ``"Seven"`` are numbers with unit 1.
    value : Decimal
        The nominal value (months for ages).
    unit : Decimal
        The size of one step in the last printed digit (``0.001`` for ``"0.016"``).
    comparator : str or None
        For bounds, one of ``<``, ``>``, ``≤``, ``≥``, or a bracket pair (``[)``) for a range
        reading such as ``"[0.01, 0.05)"`` (a significance mark ``*``).
    upper : Decimal or None
        The upper end of a range reading (``value`` is its lower end).
    decimal_comma : bool
        The text writes its decimals with a comma (``"2,3"``).
    """

    text: str
    kind: str
    value: Decimal
    unit: Decimal
    comparator: str | None = None
    upper: Decimal | None = None
    decimal_comma: bool = False

    @property
    def places(self) -> int:
        """Decimal places printed (0 for integers, words and ages)."""
        return max(0, -self.unit.as_tuple().exponent)

    @functools.lru_cache(maxsize=4096)  # a verdict and its strength ask for the same few intervals many times
    def interval(self, rule: str = "half_up") -> Interval:
        """The interval of true values this text stands for under ``rule``."""
        if self.kind == "bound":
            if rule != "bound":
                raise ValueError(f"{self.text!r} is a bound; its only rule is 'bound'")
            if self.upper is not None:
                return Interval(self.value, self.upper, self.comparator[0] == "[", self.comparator[1] == "]")
            if self.comparator in ("<", "\u2264"):
                return Interval(None, self.value, False, self.comparator == "\u2264")
            return Interval(self.value, None, self.comparator == "\u2265", False)
        v, half = self.value, self.unit / 2
        if rule == "half_up":
            if v > 0:
                return Interval(v - half, v + half, True, False)
            if v < 0:
                return Interval(v - half, v + half, False, True)
            return Interval(-half, half, False, False)
        if rule == "half_even":
            even = (v / self.unit) % 2 == 0
            return Interval(v - half, v + half, even, even)
        if rule == "half_either":
            return Interval(v - half, v + half, True, True)
        if rule == "nearest":
            return _union(self.interval(r) for r in ("half_up", "half_even", "binary"))
        if rule == "binary":
            return _binary_interval(v, self.unit)
        if rule == "ceiling":
            return Interval(v - self.unit, v, False, True)
        if rule == "floor":
            return Interval(v, v + self.unit, True, False)
        if rule == "truncate":
            if v > 0:
                return Interval(v, v + self.unit, True, False)
            if v < 0:
                return Interval(v - self.unit, v, False, True)
            return Interval(-self.unit, self.unit, False, False)
        raise ValueError(f"unknown rounding rule {rule!r}; expected one of {', '.join(RULES + DIRECTED)}, nearest")

    def rules(self) -> tuple[str, ...]:
        """The rules to try, plain rounding first."""
        return ("bound",) if self.kind == "bound" else RULES

    def format(self, x: float, rule: str = "half_up") -> str:
        """Print ``x`` with this text's precision under ``rule`` (the inverse of :meth:`interval`).

        Ages are printed as ``"Y years, M months"``; everything else as a plain decimal.
        """
        if self.kind == "bound":
            raise ValueError(f"{self.text!r} is a bound and has no precision to print with")
        if rule in ("half_either", "nearest"):
            raise ValueError(f"{RULE_NAMES[rule]} prints a tie two ways; format under half_up or half_even")
        if rule == "binary":
            q = Decimal(float(x)).quantize(self.unit, rounding=ROUND_HALF_EVEN)
        else:
            q = to_decimal(x).quantize(self.unit, rounding=_QUANTIZE[rule])
        if self.kind == "age":
            years, months = divmod(int(q), 12)
            return f"{years} years, {months} months"
        return _plain(q) if q != 0 else _plain(abs(q))

    def shifted(self, steps: int) -> Printed:
        """The value printed ``steps`` units of its last digit away, with the same precision and form
        (a bound keeps its comparator): the neighbours a misprint of this text would produce."""
        value = self.value + steps * self.unit
        if self.kind == "age":
            text = f"{int(value) // 12} years, {int(value) % 12} months"
        else:
            text = _plain(value.quantize(self.unit))  # a sum with steps != 0 is never a negative zero
            if self.decimal_comma:
                text = text.replace(".", ",")
            if self.kind == "bound":
                text = self.comparator + text
        return Printed(text, self.kind, value, self.unit, self.comparator, decimal_comma=self.decimal_comma)

    def complement(self) -> tuple[Printed, ...]:
        """For a bound, the statements that say the opposite at the same threshold(s): ``"<0.05"`` gives
        ``"≥0.05"``; the range ``"[0.01, 0.05)"`` gives ``"<0.01"`` and ``"≥0.05"``."""
        if self.kind != "bound":
            raise ValueError(f"{self.text!r} is not a bound and has no complement")
        opposite = {"<": "\u2265", "\u2264": ">", ">": "\u2264", "\u2265": "<"}
        if self.upper is None:
            op = opposite[self.comparator]
            return (Printed(op + _plain(self.value), "bound", self.value, self.unit, op),)
        below = "<" if self.comparator[0] == "[" else "\u2264"
        above = "\u2265" if self.comparator[1] == ")" else ">"
        return (Printed(below + _plain(self.value), "bound", self.value, self.unit, below),
                Printed(above + _plain(self.upper), "bound", self.upper, self.unit, above))

    def match(self, x) -> str | None:
        """The first rule under which ``x`` lies inside this text's interval, or None."""
        for rule in self.rules():
            if self.interval(rule).contains(x):
                return rule
        return None


def parse(text: str, decimal_comma: bool = False) -> Printed:
    """Read one printed value.

    Parameters
    ----------
    text : str
        The value exactly as printed: a number (``"0.016"``, ``".9622"``, ``"+0.75"``, ``"−2.46"``,
        ``"5,933,845"``, ``"45%"``), a labelled value (``"p = 0.04"``, ``"n = 9"``, ``"P<.001"``), a
        bound (``"<0.05"``), a test statistic or df with its label (``"t = −3.29"``, ``"W = 3.5"``,
        ``"χ2 = 0.38"``, ``"df = 8.1"``), a count word of any size (``"Seven"``, ``"Thirty-four"``), an age
        (``"17 years, 9 months"``), or a range reading ``"[0.01, 0.05)"`` (what a mark such as
        ``*`` states about a p-value).
    decimal_comma : bool
        The paper writes decimals with a comma (``"2,3"``); a comma then never separates thousands.

    Returns
    -------
    Printed

    Raises
    ------
    ValueError
        When the text is none of the forms above (``"0..016"``, ``"p<"``,
        ``"12 years, 13 months"``), or holds several numbers (see :func:`parts`).

    Examples
    --------
    >>> str(parse("0.016").interval())
    '[0.0155, 0.0165)'
    >>> parse("17 years, 9 months").value
    Decimal('213')
    >>> parse("Thirty-four").value
    Decimal('34')
    """
    _padded(text)
    found = _single(text, decimal_comma)
    if found is None:
        raise ValueError(_unknown(text, decimal_comma))
    return found


def parts(text: str, decimal_comma: bool = False) -> tuple[Printed, ...]:
    """The numbers a printed text holds, left to right.

    One for any form :func:`parse` reads; two for ``"1.58 ± 1.17"``, ``"12.0 (2.1)"``, ``"2.33 (±0.71)"``,
    ``"8 (100%)"``,
    a range or CI (``"22–95"``, ``"1.2 to 3.4"``, ``"(1.2, 3.4)"``), odds (``"24 to 1"``, ``"24:1"``) and a
    fraction (``"7/9"``); three for an estimate or median with its CI or range (``"0.80 (0.64 to 0.99)"``,
    ``"43 (22–95)"``). Each number keeps its own text and precision; a claim on a text of several
    numbers says which one it judges.

    Examples
    --------
    >>> [p.text for p in parts("1.58 ± 1.17")]
    ['1.58', '1.17']
    >>> [str(p.value) for p in parts("0.80 (0.64 to 0.99)")]
    ['0.80', '0.64', '0.99']
    """
    _padded(text)
    found = _compound(text, decimal_comma)  # first: "(1.2, 3.4)" printed is a CI, not a range reading
    if found is not None:
        return found
    return (parse(text, decimal_comma),)


MAX_DIGITS = 20  # no printed statistic has more; exact arithmetic on longer ones would need unbounded precision


def _padded(text) -> None:
    if not isinstance(text, str) or text != text.strip() or not text:
        raise ValueError(f"malformed printed value {text!r}: empty or padded with spaces")
    digits = sum(ch.isdigit() for ch in text)
    if digits > MAX_DIGITS:
        raise ValueError(f"printed value {text[:40]!r}{'...' if len(text) > 40 else ''} has {digits} digits; a printed "
                         f"number has at most {MAX_DIGITS}")


def _unknown(text: str, decimal_comma: bool) -> str:
    hint = ""
    if not decimal_comma and re.search(r"\d,\d", text):
        hint = ("; a comma between digits separates thousands (5,933,845): if the paper writes decimal commas "
                "(2,3), declare decimal_comma = true in [paper]")
    return (f"malformed printed value {text!r}: expected a number (0.016, .03, +0.75, −2.46, 5,933,845, 45%), a "
            "labelled value (p = 0.04, n = 9, P<.001, t = 2.20, W = 3.5, \u03c72 = 0.38, df = 8.1), a bound (<0.05), a count word (Seven, Thirty-four), an age "
            "('17 years, 9 months'), or several numbers (1.58 ± 1.17, 12.0 (2.1), 22–95, (1.2 to 3.4), 24 to 1, "
            f"7/9){hint}")


def _single(text: str, decimal_comma: bool) -> Printed | None:
    """One printed value, or None when ``text`` is not one."""
    m = _LABEL.match(text)
    if m:  # "p = 0.04", "n = 9", "P<.001": the label is read past, the text kept whole
        inner = _single(m["rest"] if m["op"] == "=" else m["op"] + m["rest"], decimal_comma)
        if inner is None or inner.kind == "age":
            return None
        return Printed(text, inner.kind, inner.value, inner.unit, inner.comparator, inner.upper, inner.decimal_comma)
    number = _number(text, decimal_comma)
    if number is not None:
        return number
    m = re.match(rf"^(?P<op>{_OP})\s*(?P<number>.+)$", text)
    if m:
        inner = _number(m["number"], decimal_comma)
        if inner is None:
            return None
        return Printed(text, "bound", inner.value, inner.unit, _OPERATORS.get(m["op"], m["op"]),
                       decimal_comma=inner.decimal_comma)
    m = _RANGE.match(text)
    if m:
        low, high = Decimal(m["low"]), Decimal(m["high"])
        if not low < high:
            raise ValueError(f"malformed printed value {text!r}: a range needs its lower end first")
        unit = Decimal(1).scaleb(min(low.as_tuple().exponent, high.as_tuple().exponent))
        return Printed(text, "bound", low, unit, m["open"] + m["close"], high)
    m = _AGE.match(text)
    if m:
        months = int(m["months"])
        if months > 11:
            raise ValueError(f"malformed printed value {text!r}: months must be 0 to 11")
        return Printed(text, "age", Decimal(int(m["years"]) * 12 + months), Decimal(1))
    count = _count_words(text)
    if count is not None:
        return Printed(text, "number", Decimal(count), Decimal(1))
    return None


def _number(text: str, decimal_comma: bool) -> Printed | None:
    """A plain number, with an optional sign and percent sign, or None."""
    m = re.match(rf"^(?P<sign>[{_SIGN}]?)(?P<digits>{_DIGITS[decimal_comma]})(?:\s?%)?$", text)
    if not m:
        return None
    digits = m["digits"].replace(",", ".") if decimal_comma else m["digits"].replace(",", "")
    d = Decimal(digits)
    unit = Decimal(1).scaleb(d.as_tuple().exponent)
    return Printed(text, "number", -d if m["sign"] not in ("", "+") else d, unit, decimal_comma=decimal_comma)


def _compound(text: str, decimal_comma: bool) -> tuple | None:
    """Several numbers in one printed text (see :func:`parts`), or None."""
    m = re.match(r"^(?P<a>[^\u00b1]+?)\s*(?:\u00b1|\+/-|\+-)\s*(?P<b>[^\u00b1]+)$", text)
    found = [_number(m[k], decimal_comma) for k in "ab"] if m else [None]
    if None not in found:
        return tuple(found)
    m = re.match(r"^(?P<outer>[^()]+?)\s*\((?P<inner>[^()]+)\)$", text)
    if m:
        outer = _number(m["outer"], decimal_comma)
        text = re.sub(r"^(?:\u00b1|\+/-)\s*", "", m["inner"])  # "2.33 (±0.71)": the SD after a plus-minus
        inner = _number(text, decimal_comma)
        inner = (inner,) if inner is not None else _pair(text, decimal_comma, in_brackets=True)
        return None if outer is None or inner is None else (outer,) + inner
    m = re.match(r"^(?:\((?P<round>[^()]+)\)|\[(?P<square>[^\[\]]+)\])$", text)
    if m:
        return _pair(m["round"] or m["square"], decimal_comma, in_brackets=True)
    return _pair(text, decimal_comma, in_brackets=False)


def _pair(text: str, decimal_comma: bool, in_brackets: bool) -> tuple | None:
    """Two numbers joined by a dash, 'to', ':' or '/' (and, inside brackets, ', '), or None."""
    separators = r"\s*[\u2013\u2014:/-]\s*|\s+to\s+" + (r"|,\s+|;\s*" if in_brackets else "")
    for m in re.finditer(separators, text):
        a, b = _number(text[:m.start()], decimal_comma), _number(text[m.end():], decimal_comma)
        if a is not None and b is not None:
            return a, b
    return None


def _count_words(text: str) -> int | None:
    """The whole number English words spell (``"Thirty-four"``, ``"one hundred and two"``), or None."""
    words = [w for w in re.split(r"[\s-]+", text.lower()) if w != "and"]
    known = set(_ONES) | set(_TENS) | {"hundred"} | set(_SCALES)
    if not words or not set(words) <= known:
        return None
    total = current = 0
    for w in words:
        if w in _SCALES:
            total, current = total + current * _SCALES[w], 0
        elif w == "hundred":
            current *= 100
        else:
            current += _TENS.get(w) or _ONES.index(w)
    value = total + current
    return value if _say(value).replace("-", " ").split() == words else None


def _say(n: int) -> str:
    """A whole number in English words, the one spelling :func:`_count_words` accepts for it."""
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens = next(w for w, v in _TENS.items() if v == n // 10 * 10)
        return tens + (f"-{_ONES[n % 10]}" if n % 10 else "")
    if n < 1000:
        return f"{_ONES[n // 100]} hundred" + (f" {_say(n % 100)}" if n % 100 else "")
    word, size = next((w, v) for w, v in sorted(_SCALES.items(), key=lambda kv: -kv[1]) if n >= v)
    return f"{_say(n // size)} {word}" + (f" {_say(n % size)}" if n % size else "")


def _union(intervals) -> Interval:
    """The union of overlapping intervals, as one interval: the lowest low end and the highest high end, each
    closed when any interval closes it there."""
    ivs = list(intervals)
    low = min(iv.low for iv in ivs)
    high = max(iv.high for iv in ivs)
    return Interval(low, high, any(iv.low == low and iv.low_closed for iv in ivs),
                    any(iv.high == high and iv.high_closed for iv in ivs))


def _binary_interval(v: Decimal, unit: Decimal) -> Interval:
    """The reals whose nearest double prints as ``v`` at precision ``unit`` (rule ``binary``).

    The doubles that print as ``v`` (their exact value rounded half to even) are consecutive; the
    reals converted to them run from the midpoint below the first to the midpoint above the last,
    a midpoint belonging to the double with the even significand (IEEE 754 round to nearest even).
    """
    if v < 0:
        mirror = _binary_interval(-v, unit)
        return Interval(mirror.high.copy_negate(), mirror.low.copy_negate(), mirror.high_closed, mirror.low_closed)
    high, high_closed = _binary_end(v, unit, math.inf)
    if v == 0:  # "0.0" stands for small values of either sign, as under half_up
        return Interval(high.copy_negate(), high, high_closed, high_closed)
    low, low_closed = _binary_end(v, unit, -math.inf)
    return Interval(low, high, low_closed, high_closed)


def _binary_end(v: Decimal, unit: Decimal, direction: float) -> tuple:
    def prints(d: float) -> bool:
        return Decimal(d).quantize(unit, rounding=ROUND_HALF_EVEN) == v

    d = float(v + unit / 2 if direction > 0 else v - unit / 2)
    while not prints(d):  # at most a step or two: d is the double nearest the tie
        d = math.nextafter(d, -direction)
    while prints(math.nextafter(d, direction)):
        d = math.nextafter(d, direction)
    beyond = math.nextafter(d, direction)
    with localcontext() as ctx:
        ctx.prec = 1100  # a double's exact decimal has at most 767 significant digits: the midpoint is exact
        midpoint = (Decimal(d) + Decimal(beyond)) / 2
    even = struct.unpack(">Q", struct.pack(">d", d))[0] % 2 == 0
    return midpoint, even


def as_decimal(x: float) -> Decimal:
    """The shortest decimal that round-trips to the double ``x`` (its ``repr``)."""
    return Decimal(repr(float(x)))


def _shown(d: Decimal) -> str:
    """An interval end as text: plain, or, for the long exact ends the binary rule gives (the midpoint between two
    doubles), about 17 significant digits after a "~" (display only; comparisons use the exact end)."""
    if len(d.as_tuple().digits) <= 20:
        return _plain(d)
    return "~" + _plain(Decimal(f"{d:.17g}"))


def _plain(d: Decimal) -> str:
    """A Decimal in plain notation, never scientific."""
    return format(d, "f")
