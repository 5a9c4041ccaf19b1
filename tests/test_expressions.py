from fractions import Fraction

import pytest

from reanalysis import expressions


def run(text, **values):
    return expressions.evaluate(expressions.parse(text), text, values)


def test_decimals_are_read_exactly_and_names_are_the_callers():
    assert run("0.1 + 0.2") == Fraction(3, 10)
    assert run("100 * (a - b) / b", a=Fraction(12), b=Fraction(10)) == 20
    assert run("-a + +b", a=Fraction(1), b=Fraction(3)) == 2
    assert expressions.names(expressions.parse("a + b * a")) == {"a", "b"}


def test_an_interval_runs_through_every_operator():
    half = (Fraction(1, 2), Fraction(3, 2))
    assert run("a + 1", a=half) == (Fraction(3, 2), Fraction(5, 2))
    assert run("1 - a", a=half) == (Fraction(-1, 2), Fraction(1, 2))
    assert run("-2 * a", a=half) == (-3, -1)
    assert run("3 / a", a=half) == (2, 6)
    assert run("a - a", a=(Fraction(1), Fraction(1))) == 0  # a degenerate interval is a number


@pytest.mark.parametrize("text, message", [
    ("a ** 2", "may hold only numbers, names"), ("f(a)", "may hold only"), ("a and b", "may hold only"),
    ("'x'", "may hold only"), ("True + 1", "'True' is not one"), ("1 +", "is not arithmetic"), ("", "non-empty"),
    ("a[0]", "may hold only"), ("a < b", "may hold only"),
])
def test_anything_but_arithmetic_is_refused(text, message):
    with pytest.raises(ValueError, match=message):
        expressions.parse(text)


def test_division_by_zero_and_unknown_names_are_errors():
    with pytest.raises(ValueError, match="divides by zero"):
        run("a / 0", a=Fraction(1))
    with pytest.raises(ValueError, match="divides by a value that can be zero"):
        run("1 / a", a=(Fraction(-1), Fraction(1)))
    with pytest.raises(ValueError, match="uses 'b', which is not given"):
        run("a + b", a=Fraction(1))
