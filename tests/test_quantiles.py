"""Exact quantiles against R's quantile(), median() and IQR() (tests/fixtures/r/inference.R).

R computes a quantile in doubles: the position ``n p + m`` and its fractional part are rounded,
and so is the interpolation, so R's result carries an error of a few units in the last place,
which shows in its 15th significant digit (R prints 49/6 as 8.16666666666666 and 1/40 as
0.0249999999999999; on this data R is at most 4e-15 relative from the exact value). The exact
quantile and R's printed value are therefore both rounded half to even to 13 significant digits,
where that error cannot reach, and compared exactly: any other order statistic or weight differs
long before the 13th digit.
"""

import csv
import doctest
import statistics
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reanalysis import quantiles
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "r"
PROBS = ("0", "0.05", "0.1", "0.25", "0.35", "0.5", "0.6", "0.75", "0.9", "1")
VECTORS = ("q_odd", "q_ties", "q_neg", "q_two", "q_one", "hba1c_before")


def _rows(name):
    with (FIXTURES / name).open(encoding="utf-8") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


R = {(r["id"], r["quantity"]): r["value"] for r in _rows("inference.csv")}
DATA = {}
for row in _rows("inference_data.csv"):
    DATA.setdefault(row["name"], []).append(Fraction(row["value"]))  # rows are in order within a name


def significant(q: Fraction, digits: int = 13) -> Decimal:
    """``q`` rounded half to even to ``digits`` significant digits."""
    if q == 0:
        return Decimal(0)
    with localcontext() as ctx:
        ctx.prec = 60
        d = Decimal(q.numerator) / Decimal(q.denominator)
    return d.quantize(Decimal(1).scaleb(d.adjusted() - digits + 1), rounding=ROUND_HALF_EVEN)


def r_value(name: str, quantity: str) -> Decimal:
    return significant(Fraction(R[name, quantity]))


def test_r_arithmetic_error_shows_in_the_15th_digit_only():
    """Why 13 digits: the exact 49/6 and R's 8.16666666666666 differ in the 15th digit, agree to 13."""
    exact = quantiles.quantile(DATA["q_ties"], "0.75", 8)
    assert exact == Fraction(49, 6) and R["q_ties", "type8_p0.75"] == "8.16666666666666"
    assert significant(exact, 15) != Decimal("8.16666666666666")
    assert significant(exact) == r_value("q_ties", "type8_p0.75")


@pytest.mark.parametrize("type_", range(1, 10))
@pytest.mark.parametrize("name", VECTORS)
def test_every_type_matches_r_at_every_probability(name, type_):
    """Odd and even n, ties, negative values, n = 2 and n = 1, the ends 0 and 1 and whole positions."""
    got = {p: significant(quantiles.quantile(DATA[name], p, type_)) for p in PROBS}
    assert got == {p: r_value(name, f"type{type_}_p{p}") for p in PROBS}


@pytest.mark.parametrize("name", VECTORS)
def test_median_and_iqr_match_r(name):
    assert significant(quantiles.median(DATA[name])) == r_value(name, "median")
    for type_ in range(1, 10):
        assert significant(quantiles.iqr(DATA[name], type_)) == r_value(name, f"iqr_type{type_}")


def test_exact_position_where_r_floors_a_rounded_one():
    """R bug PR#15811: 1390 * 0.7 is 972.9999999999999 in doubles, so R 4.2 takes x[973] for the type 2
    quantile; the position is exactly 973, and type 2 averages x[973] and x[974]."""
    assert R["pr15811", "type2_p0.7"] == "973"
    assert quantiles.quantile(range(1, 1391), "0.7", 2) == Fraction(1947, 2)


def test_probability_text_is_read_exactly():
    x = DATA["hba1c_before"]
    assert quantiles.quantile(x, "0.1", 6) == quantiles.quantile(x, Fraction(1, 10), 6) == Fraction("7.39")
    assert quantiles.quantile(x, Decimal("0.1"), 6) == Fraction("7.39")
    assert quantiles.quantile(x, 1, 4) == max(x)


def test_discontinuous_types_at_a_whole_position():
    """n p = 3 exactly: type 1 takes x[3], type 2 averages x[3] and x[4], type 3 (n p - 1/2 = 2.5) x[3]."""
    x = [Fraction(v) for v in (10, 20, 30, 40, 50, 60, 70, 80, 90, 100)]
    assert [quantiles.quantile(x, "0.3", t) for t in (1, 2, 3)] == [30, 35, 30]
    # n p - 1/2 = 2 exactly, an even order statistic: type 3 keeps x[2]; at 3 (odd) it moves to x[4].
    assert quantiles.quantile(x, "0.25", 3) == 20 and quantiles.quantile(x, "0.35", 3) == 40


fractions = st.fractions(min_value=-1000, max_value=1000, max_denominator=100)


@given(st.lists(fractions, min_size=1, max_size=30))
def test_median_is_the_usual_median(values):
    assert quantiles.median(values) == statistics.median(values)


@given(st.lists(fractions, min_size=1, max_size=30), st.integers(1, 9),
       st.fractions(0, 1, max_denominator=1000), st.fractions(0, 1, max_denominator=1000))
def test_quantiles_are_monotone_and_inside_the_range(values, type_, p, q):
    low, high = sorted((p, q))
    a, b = quantiles.quantile(values, low, type_), quantiles.quantile(values, high, type_)
    assert min(values) <= a <= b <= max(values)


@given(st.lists(fractions, min_size=1, max_size=30), st.integers(1, 9))
def test_iqr_is_never_negative(values, type_):
    assert quantiles.iqr(values, type_) >= 0


@pytest.mark.parametrize("call, message", [
    (lambda: quantiles.quantile([], "0.5"), "quantile: needs at least one value"),
    (lambda: quantiles.quantile([Fraction(1), 2.5], "0.5"),
     "quantile: values must be exact (Fraction or int), got 2.5; "
     "read them from their decimal text with Fraction('2.73')"),
    (lambda: quantiles.quantile([Fraction(1)], 0.5),
     "quantile: probability must be exact (Fraction, int, Decimal or decimal text), got 0.5"),
    (lambda: quantiles.quantile([Fraction(1)], "half"), "quantile: probability 'half' is not a number"),
    (lambda: quantiles.quantile([Fraction(1)], "1.01"), "quantile: probability must be in [0, 1], got '1.01'"),
    (lambda: quantiles.quantile([Fraction(1)], Fraction(-1, 100)),
     "quantile: probability must be in [0, 1], got Fraction(-1, 100)"),
    (lambda: quantiles.quantile([Fraction(1)], "0.5", 10),
     "quantile type must be a whole number 1 to 9 (R's type argument), got 10"),
    (lambda: quantiles.quantile([Fraction(1)], "0.5", 7.0),
     "quantile type must be a whole number 1 to 9 (R's type argument), got 7.0"),
    (lambda: quantiles.iqr([Fraction(1)], 0),
     "quantile type must be a whole number 1 to 9 (R's type argument), got 0"),
    (lambda: quantiles.median([]), "quantile: needs at least one value"),
])
def test_bad_input_is_a_clear_value_error(call, message):
    """R returns NA for an empty sample and stops for a probability outside [0, 1]; we always stop."""
    with pytest.raises(ValueError) as err:
        call()
    assert str(err.value) == message


def test_docstring_examples_hold():
    assert doctest.testmod(quantiles).failed == 0
