import math
from fractions import Fraction

import numpy as np
import pytest

from reanalysis import reconstruct, samples
from reanalysis.analyses import ANALYSES, recompute
from reanalysis.claims import load_claims
from reanalysis.context import Context
from reanalysis.datasets import load_dataset
from reanalysis.engine import _judge
from reanalysis.errors import ClaimError
from reanalysis.exact import Root
from reanalysis.judge import judge
from reanalysis.rounding import parse
from tests.conftest import DATASETS

EIGHT = {"table": "table3", "rows": True}


@pytest.fixture(scope="module")
def kagawa():
    folder = DATASETS / "kagawa"
    dataset, paper = load_dataset(folder), load_claims(folder / "claims.toml")
    return dataset, paper


def _ctx(kagawa, cid="x"):
    return Context(*kagawa, cid)


def _judged(kagawa, analysis, params, printed):
    rec = recompute(_ctx(kagawa), analysis, params)
    return judge(parse(printed), rec, ANALYSES[analysis].domain, verbal=False), rec


def test_the_only_sle_duration_sample_is_counted_and_its_neighbours_are_impossible(kagawa):
    """1.1 (2.1) months, range 0-5, n = 8: six patients at 0 and two at 4 and 5 is the one sample; SDs 2.0 and 2.2
    have none, so 16 of the 20 neighbouring SDs are rejected."""
    found, rec = _judged(kagawa, "reconstruct_sd", {"table": "table1", "row": "sle_duration", "n": EIGHT}, "2.1")
    assert found.accepted and found.decided and found.strength == Fraction(4, 5)
    assert found.value == Root(Fraction(41 - Fraction(81, 8), 7))  # the SD of 0, 0, 0, 0, 0, 0, 4, 5
    assert "(10 nodes): 1 sample; e.g. 0, 0, 0, 0, 0, 0, 4, 5" in found.detail
    assert rec.method == "reconstruction of n = 8 whole numbers from the printed mean 1.1, SD 2.1, range 0 to 5"
    for sd in ("2.0", "2.2"):
        assert not _judged(kagawa, "reconstruct_sd", {"table": "table1", "row": "sle_duration", "n": EIGHT}, sd)[0].accepted


def test_range_ends_and_means_are_judged_by_the_same_samples(kagawa):
    high, _ = _judged(kagawa, "reconstruct_range", {"table": "table1", "row": "sledai", "n": EIGHT, "end": "high"}, "26")
    assert high.accepted and high.value == 26 and high.strength == Fraction(17, 20)
    assert not _judged(kagawa, "reconstruct_range", {"table": "table1", "row": "sledai", "n": EIGHT, "end": "high"},
                       "23")[0].accepted  # 8 scores from 20 to 23 averaging 22.0 cannot have an SD of 2.1
    mean, _ = _judged(kagawa, "reconstruct_mean", {"table": "table1", "row": "sle_duration", "n": EIGHT}, "1.1")
    assert mean.value == Fraction(9, 8) and mean.strength == Fraction(7, 20)  # the mean is judged without the SD


def test_without_a_range_the_limits_or_the_reach_of_the_sd_bound_the_values(kagawa):
    params = {"table": "table2", "row": "sledai-month2", "n": EIGHT, "floor": 0, "ceiling": 105}
    found, _ = _judged(kagawa, "reconstruct_sd", params, "2.8")
    # no value lies farther than 2.85 x 7 / sqrt(8) = 7.05 from a mean below 3.35: the ceiling 105 never binds
    assert found.accepted and ": 38 samples" in found.detail
    assert found.detail.startswith("; values from 0 to 11 (the farthest a value can lie from the mean, SD (n - 1) / "
                                   "sqrt(n), within the floor and ceiling): exhaustive")


def test_a_value_put_in_place_of_the_printed_one_is_searched_not_counted(kagawa):
    found, _ = _judged(kagawa, "reconstruct_sd", {"table": "table1", "row": "c3", "n": EIGHT}, "16.5")
    assert found.accepted and "depth-first search" in found.detail and "not counted" in found.detail
    printed, _ = _judged(kagawa, "reconstruct_sd", {"table": "table1", "row": "c3", "n": EIGHT}, "16.4")
    assert ": 2,984 samples" in printed.detail


def test_an_undetermined_search_leaves_the_claim_not_recomputable(kagawa, monkeypatch):
    def gives_up(n, mean, sd, low, high, *args, **kwargs):
        return reconstruct.Reconstruction(n, None, None, (), "searched: undetermined")

    monkeypatch.setattr(reconstruct, "reconstruct", gives_up)
    samples._rebuild.cache_clear()
    try:
        claim = next(c for c in kagawa[1].claims if c.id == "table1-sledai-sd")
        verdict = _judge(claim, _ctx(kagawa, claim.id), kagawa[1])
    finally:
        samples._rebuild.cache_clear()
    assert verdict.verdict == "not_recomputable" and verdict.reason == "check_cannot_fail"
    assert [p.kind for p in verdict.proposals] == ["undetermined"]


@pytest.mark.parametrize("params, message", [
    ({"table": "table1", "row": "c3", "n": EIGHT, "floor": 0}, "'floor' applies only without a printed range"),
    ({"table": "table2", "row": "c3-month2", "n": EIGHT, "floor": 0.5}, "'floor' must be a whole number"),
    ({"table": "table1", "row": "creatinine", "n": EIGHT}, "range end 0.33 is not a whole number"),
    ({"table": "table1", "row": "c3", "n": {"value": "1"}}, "a reconstruction needs n >= 2, got 1"),
])
def test_bad_reconstruction_parameters(kagawa, params, message):
    with pytest.raises(ClaimError, match=message):
        recompute(_ctx(kagawa), "reconstruct_sd", params).check(parse("16.4"))


def test_a_range_end_reconstruction_needs_a_printed_range(kagawa):
    with pytest.raises(ClaimError, match="prints no range high"):
        recompute(_ctx(kagawa), "reconstruct_range", {"table": "table2", "row": "c3-month2", "n": EIGHT, "end": "high"})


def test_a_significance_mark_holds_for_some_pair_of_samples_in_some_patient_order(kagawa):
    params = {"table": "table2", "row": "sledai-month2", "baseline_row": "sledai-baseline", "n": EIGHT,
              "floor": 0, "ceiling": 105}
    rec = recompute(_ctx(kagawa), "reconstruct_mark", params)
    found = judge(parse("<0.01"), rec, ANALYSES["reconstruct_mark"].domain, verbal=True)
    assert found.accepted and found.decided and found.strength == 1  # "≥0.01": no pair, no order reaches it
    assert "sledai-baseline: values from 16 to 28 (" in rec.method and ": 45 samples" in rec.method
    assert ": 38 samples" in rec.method and "paired with (0, 0, 0, 4, 4, 6, 6, 6)" in found.detail


def test_a_mark_whose_samples_are_not_all_enumerated_is_undetermined(kagawa):
    params = {"table": "table2", "row": "c3-month2", "baseline_row": "c3-baseline", "n": EIGHT, "floor": 0}
    found = judge(parse("<0.01"), recompute(_ctx(kagawa), "reconstruct_mark", params),
                  ANALYSES["reconstruct_mark"].domain, verbal=True)
    assert found.accepted and not found.decided and found.strength == 0


def test_the_extreme_p_values_of_a_pair_are_its_sorted_and_reverse_sorted_orders():
    """Rearrangement, checked against every order of four patients."""
    from itertools import permutations

    before, after = (1, 2, 2, 5), (0, 3, 4, 4)
    every = [samples._paired_p(np.array(before), np.array(order)) for order in permutations(after)]
    [(low, high, _, _)] = samples._pair_extremes((before,), (after,))
    assert low == pytest.approx(min(every)) and high == pytest.approx(max(every))
    assert set(np.round(list(samples._every_order(before, after)), 12)) == set(np.round(every, 12))  # 12 orders
    assert math.isnan(samples._paired_p(np.array((1, 2)), np.array((1, 2))))  # no difference at all: no test


def test_floor_above_ceiling_is_bad_input_and_limits_that_leave_no_room_are_no_sample(kagawa):
    base = {"table": "table2", "row": "sledai-month2", "n": EIGHT}
    with pytest.raises(ClaimError, match="'floor' 10 is above 'ceiling' 0"):
        recompute(_ctx(kagawa), "reconstruct_sd", {**base, "floor": 10, "ceiling": 0}).check(parse("2.8"))
    found, _ = _judged(kagawa, "reconstruct_sd", {**base, "floor": 20}, "2.8")  # a floor above the mean's reach
    assert not found.accepted and "is empty" in found.detail


def test_a_mark_on_a_row_no_sample_fits_is_undetermined_not_a_crash(kagawa):
    params = {"table": "table2", "row": "anti_dsdna-month2", "baseline_row": "anti_dsdna-baseline", "n": EIGHT,
              "floor": 0}
    found = judge(parse("<0.01"), recompute(_ctx(kagawa), "reconstruct_mark", params),
                  ANALYSES["reconstruct_mark"].domain, verbal=True)
    assert found.accepted and not found.decided and "no sample fits the printed values of anti_dsdna-month2" in found.detail


@pytest.mark.parametrize("analysis", ["grimmer_sd", "debit_sd", "reconstruct_mark"])
def test_an_sd_check_with_n_of_1_is_bad_input(kagawa, analysis):
    params = {"table": "table2", "row": "sledai-month2", "baseline_row": "sledai-baseline", "n": {"value": "1"}}
    params = {k: v for k, v in params.items() if analysis == "reconstruct_mark" or k != "baseline_row"}
    with pytest.raises(ClaimError, match="n >= 2, got 1"):
        recompute(_ctx(kagawa), analysis, params)
