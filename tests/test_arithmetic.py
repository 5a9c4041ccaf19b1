from fractions import Fraction

import pytest

from reanalysis.arithmetic import resolve
from reanalysis.claims import load_claims
from reanalysis.context import Context
from reanalysis.datasets import load_dataset
from reanalysis.errors import ClaimError
from tests.conftest import ROOT

EXAMPLE = ROOT / "docs" / "example"


@pytest.fixture(scope="module")
def ctx():
    return Context(load_dataset(EXAMPLE), load_claims(EXAMPLE / "claims.toml"), "age-median")


@pytest.mark.parametrize("ref, value", [
    ({"table": "patients", "row": 3, "column": "score_before"}, Fraction(29, 5)),
    ({"table": "patients", "column": "age", "statistic": "median"}, Fraction(42)),
    ({"table": "patients", "column": "follow_up_months", "statistic": "mean", "missing": "available"}, Fraction(31, 3)),
    ({"table": "patients", "column": "age", "statistic": "quantile", "prob": "0.25"}, Fraction(71, 2)),
    ({"table": "patients", "rows": True}, Fraction(12)),
    ({"table": "patients", "rows": True, "where": {"column": "arm", "op": "==", "value": "A"}}, Fraction(6)),
    ({"value": "365.25"}, Fraction(1461, 4)),
    ({"claim": "follow-up-n", "whole": True}, Fraction(9)),
    ({"claim": "follow-up-mean"}, (Fraction(1025, 100), Fraction(1035, 100))),
])
def test_each_form_of_reference_points_at_one_number(ctx, ref, value):
    assert resolve(ctx, "x", ref)[0] == value


@pytest.mark.parametrize("ref, message", [
    ("age", "must be a table"),
    ({"table": "patients", "column": "age"}, "is none of"),
    ({"table": "patients", "rows": False}, "rows must be true"),
    ({"claim": "follow-up-mean", "whole": True}, "follow-up-mean does not print a whole count"),
    ({"claim": "age-median"}, "refers to the claim itself"),
    ({"table": "patients", "rows": True, "where": {"column": "arm", "op": "==", "value": 1}}, "not a literal"),
    ({"value": 3}, "value must be a decimal written as a string"),
])
def test_a_malformed_reference_is_a_claim_error(ctx, ref, message):
    with pytest.raises(ClaimError, match=message):
        resolve(ctx, "x", ref)
