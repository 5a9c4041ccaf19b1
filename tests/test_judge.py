from fractions import Fraction

import pytest

from reanalysis.context import Outcome, Recomputed
from reanalysis.exact import Root, mean
from reanalysis.judge import judge, neighbours
from reanalysis.rounding import parse

ANY, PERCENT, P = (None, None), (0, 100), (0, 1)


def value(x):
    return Recomputed(x, "test", 1)


@pytest.mark.parametrize("printed, accepted, rule", [
    ("2.33", True, "half_up"),
    ("2.32", False, ""),  # the float mean 2.3299999999999996 would truncate to 2.32
    ("2.3", True, "half_up"),
])
def test_an_exact_mean_on_a_rounding_boundary(printed, accepted, rule):
    exact = mean(Fraction(c) for c in ("1.1", "2.2", "3.3", "2.35", "2.7"))
    found = judge(parse(printed), value(exact), ANY, verbal=False)
    assert (found.accepted, found.rule) == (accepted, rule)


def test_an_exact_difference_meets_a_closed_bound():
    bound = Fraction("5.5") - Fraction("3.7")  # 1.7999999999999998 in binary floats
    check = Recomputed(None, "bound", 1, check=lambda p: Outcome(p.interval().low <= bound, bound))
    assert judge(parse("1.8"), check, ANY, verbal=False).accepted
    assert judge(parse("1.8"), value(bound), ANY, verbal=False).rule == "half_up"


@pytest.mark.parametrize("printed, rule", [("2.68", "half_up"), ("2.67", "binary")])
def test_a_mean_of_exactly_2675_at_two_decimals(printed, rule):
    """An exact tie printed down is how the stored double prints (sprintf("%.2f", 2.675) is "2.67"), not
    truncation: the tie is named, and no truncation is diagnosed (issue 15)."""
    exact = mean([Fraction("2.67"), Fraction("2.68")])
    assert exact == Fraction("2.675")
    assert judge(parse(printed), value(exact), ANY, verbal=False).rule == rule


def test_an_sd_is_judged_through_its_square():
    assert judge(parse("1.5"), value(Root(Fraction(9, 4))), ANY, verbal=False).rule == "half_up"
    # sqrt(2.1025) = 1.45 exactly: the lower end of "1.5" under half up; "1.4" only under half to even
    assert judge(parse("1.5"), value(Root(Fraction("2.1025"))), ANY, verbal=False).rule == "half_up"
    assert judge(parse("1.4"), value(Root(Fraction("2.1025"))), ANY, verbal=False).rule == "half_even"
    assert not judge(parse("1.3"), value(Root(Fraction("2.1025"))), ANY, verbal=False).accepted


def test_a_float_statistic_at_an_interval_end_is_a_boundary_match():
    found = judge(parse("0.016"), value(0.0155 * (1 + 1e-12)), P, verbal=False)
    assert found.accepted and found.boundary
    assert not judge(parse("0.016"), value(0.0158), P, verbal=False).boundary
    assert not judge(parse("0.016"), value(Fraction("0.0155")), P, verbal=False).boundary  # exact: no doubt


def test_neighbours_are_twenty_printed_units_inside_the_domain():
    near = neighbours(parse("0.016"), P, verbal=False)
    assert [p.text for p in near[:4]] == ["0.015", "0.017", "0.014", "0.018"] and len(near) == 20
    assert sorted(int(p.text) for p in neighbours(parse("3"), (0, None), verbal=False)) == [0, 1, 2, *range(4, 14)]
    assert len(neighbours(parse("99.5"), PERCENT, verbal=False)) == 15  # 100.1 and above are not percentages


def test_a_bound_has_its_opposite_among_its_neighbours_and_a_verbal_reading_only_that():
    near = neighbours(parse("<0.05"), P, verbal=False)
    assert near[-1].text == "≥0.05" and "<0.00" not in [p.text for p in near] and len(near) == 15
    assert [p.text for p in neighbours(parse("<0.05"), P, verbal=True)] == ["≥0.05"]
    assert [p.text for p in neighbours(parse("[0.01, 0.05)"), P, verbal=True)] == ["<0.01", "≥0.05"]


def test_strength_is_the_share_of_neighbours_rejected():
    assert judge(parse("7"), value(Fraction(7)), (0, None), verbal=False).strength == 1
    at_most = Recomputed(None, "k <= 141", 1, check=lambda p: Outcome(p.value <= 141, 141))
    assert judge(parse("5"), at_most, (0, None), verbal=False).strength == 0
    assert judge(parse("140"), at_most, (0, None), verbal=False).strength == Fraction(9, 20)
    assert judge(parse("<0.05"), value(0.0001), P, verbal=False).strength == Fraction(1, 15)  # only "≥0.05"
