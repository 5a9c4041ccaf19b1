"""Tests and estimates against R (tests/fixtures/r/inference.R, data in inference_data.csv)."""

import csv
import doctest

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from reanalysis import inference
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "r"
SIDES = {"two-sided": "two.sided", "less": "less", "greater": "greater"}
# Same algorithm as R, up to floating point: R prints 15 significant digits.
REL = 1e-9


def _rows(name):
    with (FIXTURES / name).open(encoding="utf-8") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


R = {(r["id"], r["quantity"]): float(r["value"]) for r in _rows("inference.csv")}
_CELLS = {}
for row in _rows("inference_data.csv"):
    _CELLS.setdefault(row["name"], {})[int(row["row"]), int(row["col"])] = float(row["value"])


def data(name):
    """A vector (one column) as a 1-D array, a table as a 2-D array of counts."""
    cells = _CELLS[name]
    shape = tuple(max(k[i] for k in cells) for i in (0, 1))
    out = np.zeros(shape)
    for (i, j), v in cells.items():
        out[i - 1, j - 1] = v
    return out[:, 0] if shape[1] == 1 else out.astype(int)


def approx(x, rel=REL):
    return pytest.approx(x, rel=rel, abs=1e-300)


def assert_t_matches(res, rid):
    assert res.statistic == approx(R[rid, "statistic"])
    assert res.df == approx(R[rid, "df"])
    assert res.p_value == approx(R[rid, "p"])
    assert res.estimate == approx(R[rid, "estimate"])
    assert res.ci_low == approx(R[rid, "ci_low"]) and res.ci_high == approx(R[rid, "ci_high"])


# --- t-tests ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("alt", SIDES)
def test_t_tests_match_r_for_every_alternative(alt):
    """One-sided tests have one-sided CIs, with an infinite end, as R's."""
    before, after = data("hba1c_before"), data("hba1c_after")
    treat, control = data("crp_treatment"), data("crp_control")
    r = SIDES[alt]
    assert_t_matches(inference.one_sample_t(after, 7.5, alt), f"one_sample_{r}")
    assert_t_matches(inference.paired_t(before, after, alternative=alt), f"paired_{r}")
    assert_t_matches(inference.paired_t(before, after, -0.5, alt), f"paired_mu_{r}")
    assert_t_matches(inference.two_sample_t(treat, control, equal_var=True, alternative=alt), f"student_{r}")
    assert_t_matches(inference.two_sample_t(treat, control, equal_var=False, alternative=alt), f"welch_{r}")


def test_t_tests_other_confidence_levels_and_n_2():
    assert_t_matches(inference.one_sample_t(data("hba1c_after"), 7.5, confidence=0.9), "one_sample_90")
    assert_t_matches(inference.two_sample_t(data("crp_treatment"), data("crp_control"), equal_var=False,
                                            confidence=0.9), "welch_90")
    assert_t_matches(inference.one_sample_t(data("q_two")), "one_sample_n2")


def test_t_methods_name_the_test_and_the_r_call():
    res = inference.two_sample_t([1, 2, 3], [4, 5, 7], equal_var=False, alternative="less")
    assert res.method == ('Welch two-sample t-test, less (scipy.stats.ttest_ind, equal_var=False; '
                          'R: t.test(x, y, alternative = "less"))')
    assert inference.one_sample_t([1, 2, 4], 1, confidence=0.9).method == (
        "one-sample t-test, two-sided, mu = 1 (scipy.stats.ttest_1samp; R: t.test(x, mu = 1, conf.level = 0.9))")


@pytest.mark.parametrize("call, message", [
    (lambda: inference.one_sample_t([5.0, 5.0, 5.0]),
     "one-sample t-test: the data are essentially constant (standard error 0)"),
    (lambda: inference.one_sample_t([0.0, 0.0]),
     "one-sample t-test: the data are essentially constant (standard error 0)"),
    (lambda: inference.one_sample_t([5.0]), "one-sample t-test: needs at least 2 values, got 1"),
    (lambda: inference.paired_t([1.0, 2.0], [1.0, 2.0, 3.0]), "paired t-test: 2 values before but 3 after"),
    (lambda: inference.two_sample_t([3.0, 3.0], [3.0, 3.0, 3.0], equal_var=True),
     "Student two-sample t-test: the data are essentially constant (standard error 0)"),
    (lambda: inference.two_sample_t([3.0], [1.0, 2.0], equal_var=False),
     "Welch two-sample t-test: needs at least 2 values, got 1"),
    (lambda: inference.one_sample_t([1.0, float("nan")]),
     "one-sample t-test: the sample has missing or infinite values; choose the subset explicitly"),
    (lambda: inference.one_sample_t([1.0, 2.0], alternative="two.sided"),
     "unknown alternative 'two.sided'; known: two-sided, less, greater"),
    (lambda: inference.one_sample_t([1.0, 2.0], confidence=95), "confidence level must be between 0 and 1, got 95"),
])
def test_t_test_bad_input_is_a_clear_value_error(call, message):
    """All-equal values: R's t.test stops ("data are essentially constant"), or gives NaN when the
    mean is 0 too; we always stop."""
    with pytest.raises(ValueError) as err:
        call()
    assert str(err.value) == message


def test_constant_paired_differences_with_binary_noise_are_essentially_constant():
    """after = before + 0.5 leaves differences that differ only by binary noise: R's 10 * eps * |mean| rule."""
    before = data("hba1c_before")
    with pytest.raises(ValueError, match="^paired t-test: the data are essentially constant"):
        inference.paired_t(before, before + 0.5)


# --- Wilcoxon rank-sum -----------------------------------------------------------------------------

@pytest.mark.parametrize("alt", SIDES)
@pytest.mark.parametrize("case, x, y, how", [
    ("exact", "crp_treatment", "crp_control", "exact"),
    ("ties", "los_a", "los_b", "normal approximation with continuity correction (ties)"),
    ("large", "big_x", "big_y", "normal approximation with continuity correction (a group of 50 or more)"),
])
def test_rank_sum_matches_r(case, x, y, how, alt):
    """R's W is the U of x; exact without ties and n < 50, else normal with continuity correction."""
    res = inference.wilcoxon_rank_sum(data(x), data(y), alt)
    rid = f"ranksum_{case}_{SIDES[alt]}"
    assert res.statistic == R[rid, "statistic"]
    assert res.p_value == approx(R[rid, "p"])
    assert res.df is None and f", {how} (" in res.method


samples = st.lists(st.integers(0, 20), min_size=1, max_size=12)


@given(samples, samples)
def test_rank_sum_is_symmetric_in_its_samples(x, y):
    xy, yx = inference.wilcoxon_rank_sum(x, y), inference.wilcoxon_rank_sum(y, x)
    assert xy.statistic + yx.statistic == len(x) * len(y)
    assert xy.p_value == pytest.approx(yx.p_value, rel=1e-12)


# --- McNemar, chi-square, Fisher -------------------------------------------------------------------

@pytest.mark.parametrize("correct", [True, False])
@pytest.mark.parametrize("name", ["mcnemar_a", "mcnemar_tied", "mcnemar_small"])
def test_mcnemar_matches_r(name, correct):
    """mcnemar_tied has b == c: R applies no correction there (statistic 0, p = 1), nor do we."""
    res = inference.mcnemar(data(name), correct=correct)
    rid = f"{name}_{'corrected' if correct else 'uncorrected'}"
    assert res.statistic == approx(R[rid, "statistic"])
    assert res.df == R[rid, "df"] == 1
    assert res.p_value == approx(R[rid, "p"])


@pytest.mark.parametrize("correct", [True, False])
@pytest.mark.parametrize("name", ["t2x2", "t2x2_zero", "t2x3", "t3x3", "t3x2_sparse"])
def test_chi_square_matches_r(name, correct):
    """Yates' correction only changes 2x2 tables, in R and here."""
    res = inference.chi_square(data(name), correct=correct)
    rid = f"{name}_chisq_{'corrected' if correct else 'uncorrected'}"
    assert res.statistic == approx(R[rid, "statistic"])
    assert res.df == R[rid, "df"]
    assert res.p_value == approx(R[rid, "p"])
    assert ("with Yates" in res.method) == (correct and name.startswith("t2x2"))


@pytest.mark.parametrize("name", ["t2x2", "t2x2_zero", "t2x3", "t3x3", "t3x2_sparse", "t2x2_empty_row"])
def test_fisher_exact_matches_r(name):
    res = inference.fisher_exact(data(name))
    assert res.p_value == approx(R[name, "fisher_p"])
    assert res.statistic is None and res.df is None


@pytest.mark.parametrize("name", ["t2x2", "t2x2_zero", "t2x2_empty_row"])
def test_the_enumeration_agrees_with_r_on_2x2_tables_too(name):
    assert float(inference._fisher_rxc(data(name))) == approx(R[name, "fisher_p"])


def test_fisher_enumeration_refuses_too_many_tables(monkeypatch):
    monkeypatch.setattr(inference, "_MAX_TABLES", 10)
    with pytest.raises(ValueError, match="^Fisher's exact test: more than 10 tables have these margins"):
        inference.fisher_exact(data("t3x3"))


@pytest.mark.parametrize("call, message", [
    (lambda: inference.mcnemar([[5, 0], [0, 7]], correct=True),
     "McNemar test: there are no discordant pairs (both off-diagonal cells are 0)"),
    (lambda: inference.mcnemar([[1, 2, 3], [4, 5, 6]], correct=True),
     "McNemar test: needs a 2x2 table of counts, got shape (2, 3)"),
    (lambda: inference.chi_square(data("t2x2_empty_row"), correct=False),
     "chi-square test: a row or column of the table is empty, so an expected count is 0"),
    (lambda: inference.chi_square([[1, 2]], correct=False),
     "chi-square test: needs a r x c (r, c >= 2) table of counts, got shape (1, 2)"),
    (lambda: inference.fisher_exact([[1, 2.5], [3, 4]]), "Fisher's exact test: counts must be whole numbers >= 0"),
    (lambda: inference.fisher_exact([[1, -2], [3, 4]]), "Fisher's exact test: counts must be whole numbers >= 0"),
])
def test_table_bad_input_is_a_clear_value_error(call, message):
    """R returns NaN for McNemar without discordant pairs and for chi-square with an empty row."""
    with pytest.raises(ValueError) as err:
        call()
    assert str(err.value) == message


# --- correlation -----------------------------------------------------------------------------------

def assert_correlation_matches(res, rid, rel=REL):
    assert res.estimate == approx(R[rid, "estimate"], rel)
    assert res.statistic == approx(R[rid, "statistic"], rel)
    assert res.p_value == approx(R[rid, "p"], rel)
    assert res.df == R.get((rid, "df"))
    if (rid, "ci_low") in R:
        assert res.ci_low == approx(R[rid, "ci_low"]) and res.ci_high == approx(R[rid, "ci_high"])
    else:
        assert res.ci_low is None and res.ci_high is None


@pytest.mark.parametrize("alt", SIDES)
def test_pearson_matches_r(alt):
    assert_correlation_matches(inference.pearson(data("age"), data("sbp"), alt), f"pearson_{SIDES[alt]}")


def test_pearson_90_and_no_ci_for_n_3():
    assert_correlation_matches(inference.pearson(data("age"), data("sbp"), confidence=0.9), "pearson_90")
    assert_correlation_matches(inference.pearson(data("age")[:3], data("sbp")[:3]), "pearson_n3")


@pytest.mark.parametrize("alt", SIDES)
@pytest.mark.parametrize("case, x, y, how", [
    ("n7", "dose", "response", "exact permutation distribution"),
    ("n12", "age", "chol", "AS 89 Edgeworth series"),
    ("ties", "pain", "opioid", "t approximation (ties)"),
])
def test_spearman_matches_r(case, x, y, how, alt):
    res = inference.spearman(data(x), data(y), alt)
    assert_correlation_matches(res, f"spearman_{case}_{SIDES[alt]}")
    assert f", {how} (" in res.method


@pytest.mark.parametrize("rid, n, y", [("spearman_n9", 9, "chol"), ("spearman_n10", 10, "chol"),
                                       ("spearman_strong", 12, "sbp")])
def test_spearman_at_the_exact_and_edgeworth_boundary(rid, n, y):
    """n = 9 is the largest exact case, n = 10 the first Edgeworth one. For rho = 0.98 with n = 12 the
    series goes below 0 and R clips it: p = 0 exactly, which we reproduce."""
    assert_correlation_matches(inference.spearman(data("age")[:n], data(y)[:n]), rid)
    if rid == "spearman_strong":
        assert inference.spearman(data("age"), data(y)).p_value == 0.0


def test_spearman_n_2():
    assert_correlation_matches(inference.spearman(data("pair_x"), data("pair_y")), "spearman_n2")


@pytest.mark.parametrize("call, message", [
    (lambda: inference.pearson([1, 2], [3, 5]), "Pearson correlation: needs at least 3 values, got 2"),
    (lambda: inference.pearson([1, 2, 3], [4, 4, 4]),
     "Pearson correlation: y is constant, so the correlation is undefined"),
    (lambda: inference.spearman([2, 2, 2], [1, 2, 3]),
     "Spearman correlation: x is constant, so the correlation is undefined"),
    (lambda: inference.spearman([1, 2, 3], [1, 2]), "Spearman correlation: x has 3 values but y has 2"),
])
def test_correlation_bad_input_is_a_clear_value_error(call, message):
    """R: "not enough finite observations" for Pearson with n < 3; NA for a constant variable."""
    with pytest.raises(ValueError) as err:
        call()
    assert str(err.value) == message


# --- odds ratios -----------------------------------------------------------------------------------

@pytest.mark.parametrize("level", [0.95, 0.9])
def test_woolf_odds_ratio_matches_r(level):
    res = inference.odds_ratio_woolf(data("t2x2"), level)
    rid = f"t2x2_or_{round(100 * level)}"
    assert res.estimate == approx(R[rid, "woolf"])
    assert res.ci_low == approx(R[rid, "woolf_low"]) and res.ci_high == approx(R[rid, "woolf_high"])


@pytest.mark.parametrize("rid, name, level", [("t2x2_or_95", "t2x2", 0.95), ("t2x2_or_90", "t2x2", 0.9),
                                              ("t2x2_zero_or_95", "t2x2_zero", 0.95)])
def test_conditional_odds_ratio_is_the_root_r_approximates(rid, name, level):
    """Equal to R's equations solved to 1e-13; R's fisher.test, with uniroot's default tolerance,
    is within 1e-3 relative of them (29.4247 for 29.4172)."""
    res = inference.odds_ratio_conditional(data(name), level)
    got = (res.estimate, res.ci_low, res.ci_high)
    assert got == approx([R[rid, f"conditional_precise{end}"] for end in ("", "_low", "_high")])
    assert got == approx([R[rid, f"conditional{end}"] for end in ("", "_low", "_high")], rel=1e-3)


def test_r_fisher_test_interval_is_off_in_the_fifth_digit():
    """The documented deviation is real: R's upper limit 29.4247 against the root 29.4172."""
    res = inference.odds_ratio_conditional(data("t2x2"))
    assert abs(R["t2x2_or_95", "conditional_high"] / res.ci_high - 1) > 2e-4


def test_zero_cell_odds_ratios():
    """A zero cell: the conditional MLE is 0 and its CI starts at 0, as R's fisher.test; Woolf's log
    interval does not exist (R's formula gives OR 0 with a CI from 0 to Inf), so it is refused."""
    res = inference.odds_ratio_conditional(data("t2x2_zero"))
    assert res.estimate == 0.0 and res.ci_low == 0.0 and 0 < res.ci_high < 1
    with pytest.raises(ValueError, match="^Woolf odds ratio: a zero cell makes log\\(OR\\) infinite"):
        inference.odds_ratio_woolf(data("t2x2_zero"))
    with pytest.raises(ValueError, match="^conditional odds ratio: a row or column of the 2x2 table is empty$"):
        inference.odds_ratio_conditional(data("t2x2_empty_row"))


def test_results_are_built_in_floats():
    res = inference.two_sample_t([1.0, 2.0, 3.0], [4.0, 5.0, 7.0], equal_var=False)
    corr = inference.spearman([1, 2, 3, 4], [1, 3, 2, 4])
    fields = [res.estimate, res.ci_low, res.statistic, res.df, res.p_value, corr.estimate, corr.p_value,
              inference.chi_square([[3, 4], [5, 1]], correct=False).df,
              inference.fisher_exact([[3, 4, 1], [5, 1, 2]]).p_value]
    assert all(type(v) is float for v in fields)


def test_docstring_examples_hold():
    assert doctest.testmod(inference).failed == 0
