from fractions import Fraction

import pytest

from reanalysis.analyses import ANALYSES, recompute
from reanalysis.context import Context
from reanalysis.claims import load_claims
from reanalysis.datasets import load_dataset
from reanalysis.errors import ClaimError
from reanalysis.rounding import parse
from tests.conftest import DATASETS

FOLDER = DATASETS / "ohtomo2005"


@pytest.fixture(scope="module")
def ctx():
    return Context(load_dataset(FOLDER), load_claims(FOLDER / "claims.toml"), "test")


def test_count_with_column_against_column(ctx):
    rec = recompute(ctx, "count", {"table": "table2", "subset": "completers",
                                   "where": {"column": "csa_dose_12m_mg_kg_day", "op": "<", "other": "csa_dose_pre_mg_kg_day"}})
    assert rec.value == 7 and rec.n == 7


def test_percent_reports_its_clopper_pearson_interval(ctx):
    rec = recompute(ctx, "percent", {"table": "table2", "where": {"column": "csa_dose_12m_mg_kg_day", "op": "==", "value": 0}})
    assert rec.value == Fraction(200, 3) and "29.9% to 92.5%" in rec.method


def test_describe_with_conversion(ctx):
    rec = recompute(ctx, "max", {"table": "table1", "column": "age_months", "convert": "months_to_years"})
    assert rec.value == 20.75 and "months / 12" in rec.method


def test_subset_defined_on_another_table_joins_by_key(ctx):
    rec = recompute(ctx, "mean", {"table": "table2", "column": "psl_cum_pre_12m_mg_kg_day", "subset": "completers"})
    assert rec.n == 7 and rec.value == Fraction("0.852") / 7


def test_rows_minus_a_printed_count_is_summary_level(ctx):
    rec = recompute(ctx, "arithmetic", {"expression": "n - a", "of": {"n": {"table": "table1", "rows": True},
                                                                        "a": {"claim": "results-igm-count", "whole": True}}})
    assert rec.value == 7 and rec.summary and not ANALYSES["arithmetic"].summary


def test_cell_at_most_is_an_upper_bound(ctx):
    rec = recompute(ctx, "cell_at_most", {"table": "table1", "row": 9, "bound": ["age_months", "onset_age_months"]})
    assert rec.value == 154 and rec.check(parse("154")).ok and not rec.check(parse("155")).ok


def test_not_recomputable_computes_nothing_and_says_why(ctx):
    assert recompute(ctx, "not_recomputable", {"reason": "source_lacks_data"}) is None
    assert recompute(ctx, "not_recomputable", {"reason": "vocabulary_lacks", "statistic": "median"}) is None
    with pytest.raises(ClaimError, match="needs parameter 'reason'"):
        recompute(ctx, "not_recomputable", {})


@pytest.mark.parametrize("analysis, params, message", [
    ("mean", {"table": "table1"}, "needs parameter 'column'"),
    ("mean", {"table": "table1", "column": "sex"}, "is not numeric"),
    ("mean", {"table": "table1", "column": "age_months", "convert": "days"}, "parameter 'convert' .* must be one of months_to_years, got 'days'"),
    ("count", {"table": "table1", "where": {"column": "sex", "op": "~", "value": "M"}}, "'where': a condition needs a 'column' and an 'op' among"),
    ("count", {"table": "table3", "where": {"column": "weight_pre_kg", "op": ">", "value": 50}}, "meets missing cells"),
    ("arithmetic", {"expression": "n - a", "of": {"n": {"table": "table1", "rows": True}, "a": {"claim": "no-such-claim"}}},
     "unknown claim 'no-such-claim'"),
    ("cell_at_most", {"table": "table1", "row": 10, "bound": ["age_months", "onset_age_months"]}, "no row with patient = 10"),
    ("anova", {}, "unknown analysis 'anova'"),
])
def test_bad_parameters_are_claim_errors(ctx, analysis, params, message):
    with pytest.raises(ClaimError, match=message):
        recompute(ctx, analysis, params)


def test_every_analysis_is_used_by_some_paper_or_the_reference_example():
    """No analysis is dead code: a paper uses it, or the claims-language reference shows it on the example
    data (docs/example), whose verdicts are tested against R's values."""
    used = {c.analysis for f in DATASETS.glob("*/claims.toml") for c in load_claims(f).claims}
    shown = {c.analysis for c in load_claims(DATASETS.parent / "docs" / "example" / "claims.toml").claims}
    assert used | shown == set(ANALYSES)


@pytest.fixture(scope="module")
def counts_ctx():
    folder = DATASETS / "amjnephrol2012"
    return Context(load_dataset(folder), load_claims(folder / "claims.toml"), "en-remission")


def test_count_level_analyses(counts_ctx):
    assert recompute(counts_ctx, "cell", {"table": "counts", "row": "enrolled", "column": "events"}).value == 14
    cells = {k: {"table": "counts", "row": row, "column": "events"} for k, row in
             (("a", "completers"), ("b", "withdrawn"), ("e", "enrolled"))}
    total = recompute(counts_ctx, "arithmetic", {"expression": "a + b", "of": {k: cells[k] for k in "ab"}})
    assert total.value == 14 and not total.summary
    rec = recompute(counts_ctx, "arithmetic", {"expression": "e - b", "of": {k: cells[k] for k in "eb"}})
    assert rec.value == 11 and "e - b with b = counts.events of row 'withdrawn'; e = counts.events" in rec.method
    bound = recompute(counts_ctx, "at_most_cell", {"table": "counts", "row": "completers", "column": "events",
                                                  "why": "subset"})
    assert bound.value == 11 and ANALYSES["at_most_cell"].summary and bound.check(parse("11")).ok and not bound.check(parse("12")).ok


def test_grim_mean_judges_the_printed_value_it_is_given(counts_ctx):
    rec = recompute(counts_ctx, "grim_mean", {"n": {"table": "counts", "row": "completers", "column": "events"},
                                              "granularity": "1"})
    assert rec.value is None and ANALYSES["grim_mean"].summary and "n = 11" in rec.method
    assert rec.check(parse("9")).ok and rec.check(parse("9")).value == 9
    assert not rec.check(parse("9.50")).ok and rec.check(parse("9.55")).value == Fraction(105, 11)


@pytest.mark.parametrize("analysis, params, message", [
    ("cell", {"table": "counts", "row": "nobody", "column": "events"}, "no row with row = 'nobody'"),
    ("arithmetic", {"expression": "a + b", "of": {}}, "parameter 'of' .* must be a table of names"),
    ("arithmetic", {"expression": "a + b", "of": {"a": {"value": "1"}}}, "uses 'b', which 'of' does not define"),
    ("arithmetic", {"expression": "a", "of": {"a": {"value": "1"}, "b": {"value": "2"}}}, "'of' names 'b', which the "
     "expression 'a' does not use"),
    ("arithmetic", {"expression": "a ** 2", "of": {"a": {"value": "1"}}}, "may hold only numbers, names"),
    ("arithmetic", {"expression": "a / b", "of": {"a": {"value": "1"}, "b": {"value": "0"}}}, "divides by zero"),
    ("arithmetic", {"expression": "a", "of": {"a": {"table": "counts"}}}, "is none of"),
    ("arithmetic", {"expression": "a", "of": {"a": {"value": "one"}}}, "value must be a decimal"),
    ("arithmetic", {"expression": "a", "of": {"a": {"table": "counts", "column": "events", "statistic": "sd"}}},
     "statistic 'sd' is not one of"),
    ("arithmetic", {"expression": "a", "of": {"a": {"table": "counts", "column": "events", "statistic": "quantile",
                                                    "prob": "2"}}}, "'of': a: "),
    ("arithmetic", {"expression": "a", "of": {"a": {"claim": "en-remission"}}}, "refers to the claim itself"),
    ("grim_mean", {"n": {"table": "counts", "row": "enrolled", "column": "events"}, "granularity": "one"}, "parameter 'granularity' .* must be a positive decimal"),
    ("grim_mean", {"n": {"value": "7.5"}, "granularity": "1"}, "'n' must be a whole number of at least 1; n = 7.5"),
    ("grim_mean", {"n": 7, "granularity": "1"}, "parameter 'n' .* must be a reference table"),
])
def test_bad_count_parameters(counts_ctx, analysis, params, message):
    with pytest.raises(ClaimError, match=message):
        recompute(counts_ctx, analysis, params)


@pytest.fixture(scope="module")
def kagawa_ctx():
    folder = DATASETS / "kagawa"
    return lambda cid: Context(load_dataset(folder), load_claims(folder / "claims.toml"), cid)


def test_summary_analyses(kagawa_ctx):
    ctx = kagawa_ctx("table1-egfr-mean")
    assert recompute(ctx, "summary_value", {"table": "table2", "row": "egfr-baseline", "column": "mean"}).value == Fraction("89.6")
    eight = {"table": "table3", "rows": True}
    rec = recompute(ctx, "percent", {"numerator": {"table": "table1", "row": "urinary_casts", "column": "count",
                                                   "whole": True}, "total": eight})
    assert rec.value == 87.5 and rec.n == 8 and not rec.summary and "Clopper-Pearson" in rec.method
    rec = recompute(kagawa_ctx("results-elevated-creatinine-percent"), "percent",
                    {"numerator": {"claim": "results-elevated-creatinine-count", "whole": True}, "total": eight})
    assert rec.value == 12.5 and rec.summary  # a printed count: the percentage is consistent with it at best
    mean = recompute(ctx, "percent", {"numerator": {"table": "table1", "row": "egfr", "column": "mean"}, "total": eight})
    assert mean.value is None and mean.summary and mean.check is not None  # a printed decimal: within its rounding
    with pytest.raises(ClaimError, match="percent takes either 'table'"):
        recompute(ctx, "percent", {"table": "table3", "numerator": {"table": "table3", "rows": True}})
    with pytest.raises(ClaimError, match="percent takes either 'table'"):
        recompute(ctx, "percent", {"numerator": {"table": "table3", "rows": True}})


def test_summary_checks_decide_feasibility(kagawa_ctx):
    sd = recompute(kagawa_ctx("table1-sledai-sd"), "grimmer_sd", {"table": "table1", "row": "sledai", "n": {"table": "table3", "rows": True}})
    assert sd.check(parse("2.1")).ok and "sum 176" in sd.check(parse("2.1")).detail
    lim = recompute(kagawa_ctx("table1-egfr-sd"), "sd_feasible", {"table": "table1", "row": "egfr", "n": {"table": "table3", "rows": True}})
    assert lim.check(parse("50.8")).ok and "27.2 to 178" in lim.method
    assert not lim.check(parse("179")).ok and not lim.check(parse("27.1")).ok
    end = recompute(kagawa_ctx("table1-sledai-min"), "range_contains_mean", {"table": "table1", "row": "sledai", "end": "low"})
    assert end.check(parse("16")).ok and end.check(parse("16")).value == 22 and not end.check(parse("23")).ok
    mark = recompute(kagawa_ctx("table2-hemoglobin-month4-mark"), "paired_mark",
                     {"table": "table2", "row": "hemoglobin-month4", "baseline_row": "hemoglobin-baseline",
                      "n": {"table": "table3", "rows": True}})
    star = mark.check(parse("[0.01, 0.05)"))
    assert star.ok and "only r in [0.334, 0.804]" in star.detail
    grim = recompute(kagawa_ctx("table2-anti-dsdna-month2-mean"), "grim_mean", {"granularity": "1", "n": {"table": "table3", "rows": True}})
    assert not grim.check(parse("16.7")).ok and grim.check(parse("16.7")).value == Fraction("16.75")
    assert grim.check(parse("16.8")).ok


def test_sd_feasible_needs_a_range_or_floor(kagawa_ctx):
    with pytest.raises(ClaimError, match="needs a 'floor'"):
        recompute(kagawa_ctx("table2-egfr-month2-sd"), "sd_feasible", {"table": "table2", "row": "egfr-month2", "n": {"table": "table3", "rows": True}})


@pytest.fixture(scope="module")
def jcr_ctx():
    folder = DATASETS / "jcr2011"
    return lambda cid: Context(load_dataset(folder), load_claims(folder / "claims.toml"), cid)


def test_trial_level_analyses(jcr_ctx):
    rec = recompute(jcr_ctx("ginzler-cr-p"), "two_by_two_p", {"contrast": "ginzler-cr-mmf-vs-ginzler-cr-ivc", "method": "pearson"})
    assert rec.value == pytest.approx(0.0046612, abs=1e-7) and "16/71 vs 4/69" in rec.method
    rd = recompute(jcr_ctx("ginzler-cr-difference-low"), "risk_difference",
                   {"contrast": "ginzler-cr-mmf-vs-ginzler-cr-ivc", "method": "wald", "result": "ci_low"})
    assert rd.value == pytest.approx(5.5643, abs=1e-4)
    arm = {"table": "arms", "row": "ong-remission-ivc"}
    assert recompute(jcr_ctx("ong-remission-ivc-percent"), "percent", {"numerator": {**arm, "column": "events"},
                                                                      "total": {**arm, "column": "n"}}).value == 52.0


def test_percent_attainability(jcr_ctx):
    check = recompute(jcr_ctx("survey-rheumatologists-percent"), "percent_attainable", {"n": {"value": "141"}}).check
    bad = check(parse("95.5"))  # as printed for the rheumatologists
    assert not bad.ok and "nearest 135/141" in bad.detail
    good = check(parse("3.5"))  # as printed for the nephrologists
    assert good.ok and "k = 5" in good.detail


def test_published_ratio_centre_subset_sums_and_parts(jcr_ctx):
    centre = recompute(jcr_ctx("meta1-partial-low"), "rr_centre", {"table": "meta", "row": "ref18-partial", "result": "ci_low"})
    assert centre.check(parse("0.80")).ok and not centre.check(parse("0.50")).ok  # reads the printed CI end
    rec = recompute(jcr_ctx("meta1-patients"), "subset_total", {"table": "trials", "rows": ["ginzler", "alms-induction", "ong", "chan2000", "chan2005", "bao"],
                                                                "k_claim": "meta1-trials", "total_claim": "meta1-patients"})
    assert rec.check(parse("618")).ok and "ginzler (140) + alms-induction (370) + ong (44) + chan2005 (64)" in rec.check(parse("618")).detail
    assert not rec.check(parse("619")).ok
    none = recompute(jcr_ctx("meta1-patients"), "subset_total", {"table": "trials", "rows": ["ginzler", "ong"], "k_claim": "meta1-trials", "total_claim": "meta1-patients"})
    assert not none.check(parse("618")).ok
    parts = {"a": {"claim": "meta2-induction-trials", "whole": True}, "b": {"claim": "meta2-maintenance-trials", "whole": True}}
    total = recompute(jcr_ctx("meta2-trials"), "arithmetic", {"expression": "a + b", "of": parts})
    assert total.value == 6 and total.summary


def test_arithmetic_with_a_printed_decimal_is_every_value_within_its_rounding(counts_ctx):
    rec = recompute(counts_ctx, "arithmetic", {"expression": "100 * a / n", "of": {
        "a": {"claim": "en-early-remission"}, "n": {"table": "counts", "row": "enrolled", "column": "events"}}})
    assert rec.value is None and rec.summary and "from 46.4286 to 53.5714" in rec.method
    assert rec.check(parse("50")).ok and rec.check(parse("53.6")).ok and not rec.check(parse("53.7")).ok


def test_every_patient_value_against_a_printed_design_number(kagawa_ctx):
    ctx = kagawa_ctx("methods-tacrolimus-start")
    same = recompute(ctx, "every", {"table": "table3", "column": "tacrolimus_start_mg_d", "each": "=="})
    assert same.check(parse("3")).ok and not same.check(parse("2")).ok and not ANALYSES["every"].summary
    cap = recompute(ctx, "every", {"table": "table3", "column": "mizoribine_mg_d", "each": "<="})
    assert cap.check(parse("300")).ok and not cap.check(parse("299")).ok and cap.check(parse("299")).value == 300
    below = recompute(ctx, "every", {"table": "table3", "column": "mizoribine_mg_d", "each": "<"})
    # a printed "300" stands for [299.5, 300.5): 300 is below some of it, and below none of "299"
    assert below.check(parse("300")).ok and not below.check(parse("299")).ok
    floor = recompute(ctx, "every", {"table": "table3", "column": "psl_mg_d", "each": ">="})
    assert floor.check(parse("5")).ok and floor.check(parse("10")).ok and not floor.check(parse("11")).ok


def test_a_subset_of_k_rows_with_a_total_is_found_without_enumerating_combinations():
    import itertools
    import time

    from reanalysis.analyses import _k_rows_summing_to

    items = [(f"r{i}", size) for i, size in enumerate([5, 9, 3, 12, 7, 7, 20, 1])]
    for k in range(len(items) + 1):
        for total in range(0, 70):
            brute = any(sum(s for _, s in c) == total for c in itertools.combinations(items, k))
            found = _k_rows_summing_to(items, k, total)
            assert (found is not None) == brute, (k, total)
            if found is not None:
                assert len(found) == k and sum(dict(items)[r] for r in found) == total
    start = time.perf_counter()  # 20 of 40 rows: 1.4e11 combinations, enumerated it never ended
    assert _k_rows_summing_to([(i, 2 * (10 + i)) for i in range(40)], 20, 1181) is None  # even sizes, odd total
    assert time.perf_counter() - start < 5
