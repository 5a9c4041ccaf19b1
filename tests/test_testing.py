import itertools

import pytest
from scipy import stats as sp

from reanalysis import testing
from reanalysis.analyses import recompute
from reanalysis.claims import load_claims
from reanalysis.context import Context
from reanalysis.datasets import load_dataset
from reanalysis.errors import ClaimError
from reanalysis.rounding import parse
from tests.conftest import DATASETS, ROOT

EXAMPLE = ROOT / "docs" / "example"


def _ctx(folder, claim="x"):
    return Context(load_dataset(folder), load_claims(folder / "claims.toml"), claim)


@pytest.fixture(scope="module")
def example():
    return _ctx(EXAMPLE, "after-welch-p")


def test_a_contrast_splits_patient_rows_by_its_column(example):
    a, b = example.groups("arms", "score_after")
    assert len(a) == len(b) == 6 and str(a[0]) == "41/10"


def test_student_and_welch_differ_and_name_their_r_call(example):
    welch = recompute(example, "two_sample_t_p", {"contrast": "arms", "column": "score_after", "variance": "welch"})
    student = recompute(example, "two_sample_t_p", {"contrast": "arms", "column": "score_after", "variance": "equal"})
    assert welch.value != student.value and "R: t.test(x, y))" in welch.method and "var.equal = TRUE" in student.method
    assert recompute(example, "two_sample_t", {"contrast": "arms", "column": "score_after", "variance": "equal",
                                               "result": "df"}).value == 10


@pytest.mark.parametrize("params, message", [
    ({"contrast": "groups", "column": "age", "variance": "welch"}, "unknown contrast 'groups'; declared: arms"),
    ({"contrast": "arms", "column": "follow_up_months", "variance": "welch"}, "has missing cells"),
    ({"contrast": "arms", "column": "height", "variance": "welch"}, "table 'patients' has no column 'height'"),
])
def test_bad_two_group_references_are_claim_errors(example, params, message):
    with pytest.raises(ClaimError, match=message):
        recompute(example, "two_sample_t_p", params)


def test_missing_available_uses_the_rows_that_have_a_value(example):
    rec = recompute(example, "two_sample_t_p", {"contrast": "arms", "column": "follow_up_months", "variance": "welch",
                                                "missing": "available"})
    assert rec.n == 9 and "n = 4 vs 5" in rec.method


def test_table_tests_read_the_counts_at_rows_by_columns(example):
    params = {"table": "crosstab", "rows": ["improved", "not-improved"], "columns": ["arm_a", "arm_b"]}
    chi = recompute(example, "table_test_p", {**params, "test": "chi_square"})
    yates = recompute(example, "table_test_p", {**params, "test": "chi_square", "correction": "continuity"})
    fisher = recompute(example, "table_test_p", {**params, "test": "fisher"})
    assert chi.value < yates.value and "table 4 2 / 2 4" in chi.method and chi.n == 12
    assert fisher.value == pytest.approx(sp.fisher_exact([[4, 2], [2, 4]]).pvalue)
    with pytest.raises(ClaimError, match="fisher prints no statistic"):
        recompute(example, "table_test", {**params, "test": "fisher", "result": "statistic"})
    with pytest.raises(ClaimError, match="McNemar test: there are no discordant pairs|table"):
        recompute(example, "table_test_p", {**params, "rows": ["improved"], "test": "mcnemar"})


def test_a_contrast_of_count_rows_gives_the_arms():
    ctx = _ctx(DATASETS / "fluge2011")
    assert ctx.whole("arms", "major-rtx", "events") == 9


def _brute_p_range(m1, s1, n1, m2, s2, n2, steps=6):
    """The p-range by a grid over every mean and SD in its rounding interval (ends included)."""
    grid = [[float(iv.low + (iv.high - iv.low) * k / steps) for k in range(steps + 1)]
            for iv in (p.interval("half_up") for p in (m1, s1, m2, s2))]
    ps = [sp.ttest_ind_from_stats(a, max(b, 1e-300), n1, c, max(d, 1e-300), n2).pvalue
          for a, b, c, d in itertools.product(*grid)]
    return min(ps), max(ps)


@pytest.mark.parametrize("cells, n1, n2", [
    (("37.3", "11.5", "31.5", "11.6"), 15, 15), (("54", "46", "26", "17"), 13, 15), (("27", "5", "33", "6"), 13, 15),
])
def test_the_p_range_from_summaries_bounds_every_p_within_the_rounding(cells, n1, n2):
    m1, s1, m2, s2 = map(parse, cells)
    low, high = testing._p_range(m1, s1, n1, m2, s2, n2, True)
    brute_low, brute_high = _brute_p_range(m1, s1, n1, m2, s2, n2)
    assert low == pytest.approx(brute_low, rel=1e-9) and high == pytest.approx(brute_high, rel=1e-9)


def test_a_p_from_a_printed_statistic_is_judged_against_the_statistics_rounding(example):
    rec = recompute(_ctx(EXAMPLE, "previous-p"), "p_from_statistic", {"statistic_claim": "previous-t", "test": "t",
                                                                      "df": 10})
    assert rec.check(parse(".052")).ok and not rec.check(parse(".026")).ok
    one = recompute(_ctx(EXAMPLE, "previous-p"), "p_from_statistic", {"statistic_claim": "previous-t", "test": "t",
                                                                      "df": 10, "sides": "one"})
    assert one.check(parse(".026")).ok and "one-sided" in one.method
    with pytest.raises(ClaimError, match="z test: takes no df"):
        recompute(example, "p_from_statistic", {"statistic_claim": "previous-z", "test": "z", "df": 3})


def test_odds_against_chance_of_a_printed_z(example):
    rec = recompute(_ctx(EXAMPLE, "previous-odds"), "tail_odds", {"statistic_claim": "previous-z", "test": "z"})
    assert rec.check(parse("19")).ok and not rec.check(parse("20")).ok and not rec.check(parse("9")).ok
    two = recompute(_ctx(EXAMPLE, "previous-odds"), "tail_odds", {"statistic_claim": "previous-z", "test": "z",
                                                                  "sides": "two"})
    assert two.check(parse("9")).ok


def test_a_proportion_ci_end_in_percent():
    ctx = _ctx(DATASETS / "fluge2011")
    low = recompute(ctx, "proportion_ci", {"table": "arms", "row": "overall-pla", "method": "wilson", "result": "ci_low"})
    exact = recompute(ctx, "proportion_ci", {"table": "arms", "row": "overall-pla", "method": "clopper_pearson",
                                            "result": "ci_high"})
    assert round(low.value, 2) == 3.74 and round(exact.value, 2) == 40.46 and low.n == 15


def test_a_one_sided_reading_counts_only_when_the_quote_says_so(tmp_path):
    """statcheck's one-tailed correction: p = .026 is half the two-sided p of t(10) = 2.20."""
    import shutil
    folder = tmp_path / "example"
    shutil.copytree(EXAMPLE, folder)
    claims = folder / "claims.toml"
    claims.write_text(claims.read_text(encoding="utf-8").replace(
        'quote = "A previous study reported t(10) = 2.20, p = .052"',
        'quote = "a one-tailed test: t(10) = 2.20, p = .026"'), encoding="utf-8")
    told = _ctx(folder, "previous-p")
    params = {"statistic_claim": "previous-t", "test": "t", "df": 10}
    outcome = recompute(told, "p_from_statistic", params).check(parse(".026"))
    assert outcome.ok and "one-sided only" in outcome.detail and "one-tailed correction" in outcome.detail
    assert not recompute(told, "p_from_statistic", {**params, "sides": "two"}).check(parse(".026")).ok
    assert not recompute(_ctx(EXAMPLE, "previous-p"), "p_from_statistic", params).check(parse(".026")).ok


def test_a_two_by_two_table_tallied_from_patient_rows(example):
    params = {"contrast": "arms", "where": {"column": "improved", "op": "==", "value": True}}
    rec = recompute(example, "table_test_p", {**params, "test": "fisher"})
    assert "table 4 2 / 2 4" in rec.method and rec.value == pytest.approx(sp.fisher_exact([[4, 2], [2, 4]]).pvalue)
    ratio = recompute(example, "odds_ratio", {**params, "method": "woolf", "result": "estimate"})
    assert ratio.value == 4
    for bad in ({"test": "fisher"}, {**params, "table": "crosstab", "test": "fisher"}):
        with pytest.raises(ClaimError, match="a table of counts is either"):
            recompute(example, "table_test_p", bad)
