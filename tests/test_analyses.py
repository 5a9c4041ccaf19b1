import pytest

from reanalysis.analyses import ANALYSES, Context, recompute
from reanalysis.claims import load_claims
from reanalysis.datasets import load_dataset
from reanalysis.errors import ClaimError
from tests.conftest import DATASETS

FOLDER = DATASETS / "ohtomo2005"


@pytest.fixture(scope="module")
def ctx():
    return Context(load_dataset(FOLDER), load_claims(FOLDER / "claims.toml"), "test")


def test_count_with_column_against_column(ctx):
    rec = recompute(ctx, "count", {"table": "table2", "subset": "completers",
                                   "where": {"column": "csa_dose_12m_mg_kg_day", "op": "<", "value": "csa_dose_pre_mg_kg_day"}})
    assert rec.value == 7 and rec.n == 7


def test_percent_reports_its_clopper_pearson_interval(ctx):
    rec = recompute(ctx, "percent", {"table": "table2", "where": {"column": "csa_dose_12m_mg_kg_day", "op": "==", "value": 0}})
    assert rec.value == pytest.approx(200 / 3) and "29.9% to 92.5%" in rec.method


def test_describe_with_conversion(ctx):
    rec = recompute(ctx, "max", {"table": "table1", "column": "age_months", "convert": "months_to_years"})
    assert rec.value == 20.75 and "months / 12" in rec.method


def test_subset_defined_on_another_table_joins_by_key(ctx):
    rec = recompute(ctx, "mean", {"table": "table2", "column": "psl_cum_pre_12m_mg_kg_day", "subset": "completers"})
    assert rec.n == 7 and rec.value == pytest.approx(0.852 / 7)


def test_remainder_is_summary_level(ctx):
    rec = recompute(ctx, "remainder", {"table": "table1", "minus": ["results-igm-count"]})
    assert rec.value == 7 and rec.summary_level


def test_cell_at_most_is_an_upper_bound(ctx):
    rec = recompute(ctx, "cell_at_most", {"table": "table1", "row": 9, "bound": ["age_months", "onset_age_months"]})
    assert rec.value == 154 and rec.upper_bound


def test_not_recomputable_computes_nothing(ctx):
    assert recompute(ctx, "not_recomputable", {}) is None


@pytest.mark.parametrize("analysis, params, message", [
    ("mean", {"table": "table1"}, "needs parameter 'column'"),
    ("mean", {"table": "table1", "column": "sex"}, "is not numeric"),
    ("mean", {"table": "table1", "column": "age_months", "convert": "days"}, "unknown conversion"),
    ("count", {"table": "table1", "where": {"column": "sex", "op": "~", "value": "M"}}, "'where' must be"),
    ("count", {"table": "table3", "where": {"column": "weight_pre_kg", "op": ">", "value": 50}}, "meets missing cells"),
    ("remainder", {"table": "table1", "minus": ["no-such-claim"]}, "unknown claim 'no-such-claim'"),
    ("cell_at_most", {"table": "table1", "row": 10, "bound": ["age_months", "onset_age_months"]}, "no row with patient = 10"),
    ("anova", {}, "unknown analysis 'anova'"),
])
def test_bad_parameters_are_claim_errors(ctx, analysis, params, message):
    with pytest.raises(ClaimError, match=message):
        recompute(ctx, analysis, params)


def test_every_analysis_is_used_by_some_paper():
    used = {c.analysis for f in DATASETS.glob("*/claims.toml") for c in load_claims(f).claims}
    assert used == set(ANALYSES)


@pytest.fixture(scope="module")
def counts_ctx():
    folder = DATASETS / "amjnephrol2012"
    return Context(load_dataset(folder), load_claims(folder / "claims.toml"), "en-remission")


def test_count_level_analyses(counts_ctx):
    assert recompute(counts_ctx, "cell", {"table": "counts", "row": "enrolled", "column": "events"}).value == 14
    assert recompute(counts_ctx, "row_sum", {"table": "counts", "rows": ["completers", "withdrawn"],
                                             "column": "events"}).value == 14
    rec = recompute(counts_ctx, "row_difference", {"table": "counts", "row": "enrolled", "minus": ["withdrawn"],
                                                   "column": "events"})
    assert rec.value == 11 and "'enrolled' (14) minus 'withdrawn' (3)" in rec.method
    bound = recompute(counts_ctx, "at_most_cell", {"table": "counts", "row": "completers", "column": "events",
                                                  "why": "subset"})
    assert bound.value == 11 and bound.upper_bound and bound.summary_level


def test_grim_mean_uses_the_claims_printed_value(counts_ctx):
    rec = recompute(counts_ctx, "grim_mean", {"table": "counts", "row": "completers", "column": "events",
                                              "granularity": "1"})
    assert rec.value == 9 and rec.summary_level and "n = 11" in rec.method


@pytest.mark.parametrize("analysis, params, message", [
    ("cell", {"table": "counts", "row": "nobody", "column": "events"}, "no row with row = 'nobody'"),
    ("row_sum", {"table": "counts", "rows": [], "column": "events"}, "non-empty list"),
    ("grim_mean", {"table": "counts", "row": "enrolled", "column": "events", "granularity": "one"}, "granularity must be"),
])
def test_bad_count_parameters(counts_ctx, analysis, params, message):
    with pytest.raises(ClaimError, match=message):
        recompute(counts_ctx, analysis, params)
