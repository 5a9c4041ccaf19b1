"""p-values from printed statistics and tail probabilities against R (tests/fixtures/r/inference.R)."""

import doctest
import math

import pytest

from reanalysis import statcheck
from reanalysis.rounding import parse
from tests.test_inference import R, approx


# --- p from a printed statistic (statcheck) --------------------------------------------------------

PRINTED = [("t", 2.20, 28, None), ("t", -1.75, 14, None), ("z", 1.96, None, None), ("z", -2.58, None, None),
           ("r", 0.35, 48, None), ("r", -0.62, 10, None)]


@pytest.mark.parametrize("test, stat, df, df2", PRINTED)
def test_p_from_t_z_r_matches_statchecks_formulas(test, stat, df, df2):
    rid = f"printed_{test}_{stat:g}"
    assert statcheck.p_from_statistic(test, stat, df, df2) == approx(R[rid, "two_sided"])
    assert statcheck.p_from_statistic(test, stat, df, df2, one_sided=True) == approx(R[rid, "one_sided"])


@pytest.mark.parametrize("test, stat, df, df2", [
    ("F", 4.56, 2, 27), ("F", 3.10, 1, 40), ("chi2", 5.02, 1, None), ("chi2", 9.8, 4, None),
])
def test_p_from_f_and_chi_square_is_the_upper_tail(test, stat, df, df2):
    assert statcheck.p_from_statistic(test, stat, df, df2) == approx(R[f"printed_{test}_{stat:g}", "p"])
    message = f"^{test} test: the p-value is the upper tail; there is no one-sided version$"
    with pytest.raises(ValueError, match=message):
        statcheck.p_from_statistic(test, stat, df, df2, one_sided=True)


def test_a_perfect_correlation_has_p_0():
    assert statcheck.p_from_statistic("r", -1.0, 10) == 0.0


@pytest.mark.parametrize("p, consistent", [
    ("0.036", True), ("0.037", True), ("0.04", True), ("0.035", False), ("0.018", False),
    ("<0.05", True), ("<0.01", False), (">0.05", False), ("0.000", False),
])
def test_p_consistency_of_t_28_2_20(p, consistent):
    """t(28) = 2.20 stands for t in [2.195, 2.205]: two-sided p from 0.0358 to 0.0366."""
    assert statcheck.p_consistent("t", parse("2.20"), parse(p), 28) is consistent


def test_a_range_reading_of_p_meets_the_range_of_the_statistic():
    """A mark read as [0.01, 0.05) against t(28) = 2.20 (p from 0.0358 to 0.0366): consistent; [0.001, 0.01): not."""
    assert statcheck.p_consistent("t", parse("2.20"), parse("[0.01, 0.05)"), 28)
    assert not statcheck.p_consistent("t", parse("2.20"), parse("[0.001, 0.01)"), 28)
    assert [round(p, 4) for p in statcheck.p_range("t", parse("-0.04"), 10)] == [0.965, 0.9728]
    low, high = statcheck.p_range("t", parse("0.0"), 10)  # t in (-0.05, 0.05): the interval holds 0
    assert high == 1.0 and round(low, 4) == 0.9611


def test_one_sided_only_needs_the_text_to_say_so():
    """statcheck's example: p = .018 is half the two-sided 0.036 of t(28) = 2.20."""
    assert statcheck.consistent_one_sided_only("t", parse("2.20"), parse("0.018"), 28, text="We used one-sided tests.")
    assert not statcheck.consistent_one_sided_only("t", parse("2.20"), parse("0.018"), 28, text="We used t-tests.")
    # consistent two-sided already: not "one-sided only"
    assert not statcheck.consistent_one_sided_only("t", parse("2.20"), parse("0.036"), 28, text="one-tailed")
    # halving does not help a p that is wrong either way
    assert not statcheck.consistent_one_sided_only("t", parse("2.20"), parse("0.010"), 28, text="one-tailed")
    # an F test has no one-sided reading
    f_half = f"{statcheck.p_from_statistic('F', 4.56, 2, 27) / 2:.4f}"
    assert not statcheck.consistent_one_sided_only("F", parse("4.56"), parse(f_half), 2, 27, text="directional hypotheses")
    assert statcheck.consistent_one_sided_only("z", parse("-2.58"), parse("0.005"), text="a One Tailed test")


@pytest.mark.parametrize("text, mentions", [
    ("one-sided", True), ("One sided", True), ("onesided", True), ("one-tailed", True), ("directional", True),
    ("two-sided", False), ("none sided", True), ("one - sided", False),
])
def test_one_sided_words_are_statchecks(text, mentions):
    """statcheck's regular expression, quirks included ("none sided" matches; "one - sided" does not)."""
    assert statcheck.mentions_one_sided(text) is mentions


@pytest.mark.parametrize("call, message", [
    (lambda: statcheck.p_from_statistic("T", 2.0, 10), "unknown test 'T'; known: t, F, chi2, z, r"),
    (lambda: statcheck.p_from_statistic("t", 2.0), "t test: needs a positive df, got None"),
    (lambda: statcheck.p_from_statistic("z", 2.0, 10), "z test: takes no df, got 10"),
    (lambda: statcheck.p_from_statistic("F", 2.0, 1), "F test: needs a positive df2, got None"),
    (lambda: statcheck.p_from_statistic("F", -2.0, 1, 10), "F test: the statistic cannot be negative, got -2.0"),
    (lambda: statcheck.p_from_statistic("r", 1.2, 10), "r: a correlation must be in [-1, 1], got 1.2"),
    (lambda: statcheck.p_from_statistic("t", math.inf, 10), "t test: the statistic must be finite, got inf"),
    (lambda: statcheck.p_consistent("t", parse("<2"), parse("0.05"), 10), "statistic '<2': expected a printed number"),
])
def test_printed_statistic_bad_input_is_a_clear_value_error(call, message):
    with pytest.raises(ValueError) as err:
        call()
    assert str(err.value) == message


# --- tail probabilities and odds -------------------------------------------------------------------

@pytest.mark.parametrize("dist, stat, df", [("t", 2.5, 10), ("t", -1.2, 5), ("z", 1.645, None), ("z", 3.0, None)])
def test_tail_probabilities_and_odds_match_r(dist, stat, df):
    rid = f"tail_{dist}_{stat:g}"
    upper = statcheck.tail_probability(stat, df)
    both = statcheck.tail_probability(stat, df, two_sided=True)
    assert upper.probability == approx(R[rid, "upper"]) and both.probability == approx(R[rid, "two_sided"])
    assert upper.odds_against == approx(R[rid, "upper_odds_against"])
    assert both.odds_against == approx(R[rid, "two_sided_odds_against"])
    assert upper.odds * upper.odds_against == approx(1.0)


def test_odds_against_and_a_zero_tail():
    assert round(statcheck.tail_probability(1.645).odds_against) == 19
    assert round(statcheck.tail_probability(3.0, two_sided=True).odds_against, 1) == 369.4
    far = statcheck.tail_probability(50.0)
    assert far.probability == 0.0 and far.odds == 0.0 and far.odds_against == math.inf
    assert statcheck.tail_probability(0.0, two_sided=True).odds == math.inf


def test_tail_bad_input_is_a_clear_value_error():
    with pytest.raises(ValueError, match="^tail probability: df must be positive, got 0$"):
        statcheck.tail_probability(1.0, 0)


def test_docstring_examples_hold():
    assert doctest.testmod(statcheck).failed == 0
