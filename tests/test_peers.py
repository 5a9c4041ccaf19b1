"""The statistics against cases that independent projects document, with their expected values.

The cases and their sources are committed in tests/fixtures/peers/ (README.md there says where each
row comes from): scrutiny's GRIM and GRIMMER examples (pigs1, pigs5, its tests and vignettes), metafor's
dat.bcg pooled estimates, the Newcombe (1998) and Fagerland et al. (2015) intervals for a difference
of proportions, and statcheck's t and chi-square cases. No test here needs R. Where a peer's
expected value differs from this project's, the difference is listed with its reason and pinned,
so a new disagreement fails.
"""

import csv
import math
import re
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from statsmodels.stats.meta_analysis import effectsize_2proportions

from reanalysis import stats, statcheck
from reanalysis.rounding import parse

PEERS = Path(__file__).parent / "fixtures" / "peers"


def _rows(name: str) -> list:
    with (PEERS / name).open(encoding="utf-8") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


GRIM = _rows("grim.csv")
GRIMMER = _rows("grimmer.csv")
META = _rows("meta_bcg.csv")
TWO = _rows("two_proportions.csv")
STATCHECK = _rows("statcheck.csv")
SCRUTINY_RULE = {"up": "half_up", "up_or_down": "half_either"}  # scrutiny's rounding argument, as our rule


def _grim(row) -> bool:
    """GRIM as scrutiny asks it: a mean (or, with percent, a percentage of it) of n values in steps of 1/items."""
    n, items, printed = int(row["n"]), int(row["items"]), parse(row["x"])
    rule = SCRUTINY_RULE[row["rounding"]]
    if row["percent"] == "TRUE":  # scrutiny reads "52.1" with percent = TRUE as the mean 0.521
        iv, step = printed.interval(rule), Fraction(100, n * items)
        centre = Fraction(printed.value) / step
        return any(iv.contains(k * step) for k in (math.floor(centre), math.ceil(centre)))
    return stats.grim(printed, n, Fraction(1, items), rule) is not None


def test_grim_agrees_with_scrutiny_on_all_374_documented_cases():
    """Under the rounding scrutiny was asked for: ``"up"`` is half up, its default ``"up_or_down"`` either way
    at a tie. Includes items = 2 and 3 and percentages."""
    assert len(GRIM) == 374
    differ = [(r["case"], r["x"]) for r in GRIM if _grim(r) != (r["consistent"] == "TRUE")]
    assert differ == []


def test_grim_at_a_tie_depends_on_the_rounding_rule():
    """scrutiny's example 5.19 with n = 32 is consistent; 166/32 = 5.1875 needs no tie. 2571/40 = 64.275 is one:
    it prints as 64.27 only when a tie may round down."""
    assert stats.grim(parse("5.19"), 32, Fraction(1)) == Fraction(166, 32)
    assert stats.grim(parse("64.27"), 40, Fraction(1)) is None
    assert stats.grim(parse("64.27"), 40, Fraction(1), "half_either") == Fraction(2571, 40)


# Where this project's GRIMMER and scrutiny's (default rounding) differ, and why.
GRIMMER_DIFFERS = {
    "0.5/0.0 n=8": "no integer sample: 8 integers summing to 4 have a sum of squares of at least 4 (issue 15)",
    "7.5/0.2 n=10": "no integer sample: a mean of x.5 puts every value at least 0.5 away, so the SD is at least 0.527",
    "1.2/0.3 n=57": "no integer sample: the smallest SD with a mean of at least 1.15 is 0.368",
    "test-grimmer disagreement 64.27/25.71 n=40": "a tie: 64.275 prints as 64.27 only when rounded half down",
    "test-grimmer disagreement 16.22/6.49 n=80": "a tie: 16.225 prints as 16.22 only when rounded half down",
    "vignette flying_pigs1[1]": "scrutiny's own false positive (its issue #80): 0, 0, 6, 9, 9, 9 and 19 tens fit",
}


def test_grimmer_equals_an_exhaustive_integer_search_on_every_peer_case():
    """``integer_sample_exists`` is an independent exhaustive search (tests/fixtures/peers/integer_samples.py)
    for the 36 one-item cases with n <= 60, under half-up rounding, as this project's GRIMMER."""
    checked = [r for r in GRIMMER if r["integer_sample_exists"] and r["items"] == "1"]
    assert len(checked) == 36
    for r in checked:
        found = stats.grimmer(parse(r["x"]), parse(r["sd"]), int(r["n"]))
        assert (found is not None) == (r["integer_sample_exists"] == "TRUE"), r["case"]


def test_grimmer_differs_from_scrutiny_only_where_documented():
    one_item = [r for r in GRIMMER if r["items"] == "1"]
    differ = {r["case"] for r in one_item
              if (stats.grimmer(parse(r["x"]), parse(r["sd"]), int(r["n"])) is not None) != (r["consistent"] == "TRUE")}
    assert differ == set(GRIMMER_DIFFERS)


def _dat_bcg() -> list:
    return [(int(r["tpos"]), int(r["tpos"]) + int(r["tneg"]), int(r["cpos"]), int(r["cpos"]) + int(r["cneg"]))
            for r in _rows("dat_bcg.csv")]


TRIALS = {"bcg": _dat_bcg(), "agreeing": [(1, 20, 3, 20), (2, 20, 4, 20), (5, 30, 9, 30)],
          "zero_cell": [(0, 20, 3, 20), (2, 20, 4, 20), (5, 30, 9, 30)]}
# statsmodels' Paule-Mandel stops at |Q - (k - 1)| < 1e-5; the fixture's metafor iterates to 1e-12.
TOLERANCE = {"FE": 1e-9, "DL": 1e-9, "PM": 1e-4, "REML": 1e-6}


def _ours(case: str, method: str, test: str) -> dict:
    """Log-scale estimate, CI and tau^2 of this project's pooling, as metafor names them."""
    pooled = stats.pool_risk_ratios(TRIALS[case])
    if (method, test) == ("DL", "knha"):  # not one of the pooled rows; the same function with DL's tau^2
        counts = [stats.zero_cell_corrected(*t)[:4] for t in TRIALS[case]]
        k1, n1, k2, n2 = (np.array(x, dtype=float) for x in zip(*counts))
        eff, var = effectsize_2proportions(k1, n1, k2, n2, statistic="risk-ratio")
        est, low, high = stats.random_effects(eff, var, pooled.tau2_dl, knapp_hartung=True)
        return {"estimate": est, "ci_low": low, "ci_high": high, "tau2": pooled.tau2_dl}
    row, tau2 = {("FE", "z"): (pooled.fixed, 0.0), ("DL", "z"): (pooled.dersimonian_laird, pooled.tau2_dl),
                 ("PM", "z"): (pooled.paule_mandel, pooled.tau2_pm), ("REML", "z"): (pooled.reml, pooled.tau2_reml),
                 ("REML", "knha"): (pooled.hartung_knapp, pooled.tau2_reml)}[method, test]
    out = {"estimate": math.log(row.estimate), "ci_low": math.log(row.ci_low), "ci_high": math.log(row.ci_high),
           "tau2": tau2}
    if method in ("FE", "DL") and test == "z":  # metafor's Q-based I^2 (REML's and PM's use tau^2 instead)
        out |= {"Q": pooled.q, "I2": 100 * pooled.i2}
    return out


@pytest.mark.parametrize("case, method, test", sorted({(r["case"], r["method"], r["test"]) for r in META}))
def test_pooling_matches_metafor(case, method, test):
    """metafor::rma on dat.bcg and two small sets (tests/fixtures/peers/meta_bcg.R): every method and test."""
    ours = _ours(case, method, test)
    rows = [r for r in META if (r["case"], r["method"], r["test"]) == (case, method, test)]
    compared = 0
    for r in rows:
        if r["quantity"] in ours:
            tol = 1e-6 if test == "knha" else TOLERANCE[method]
            assert ours[r["quantity"]] == pytest.approx(float(r["value"]), rel=tol, abs=1e-12), r["quantity"]
            compared += 1
    assert compared >= 4


def test_the_dat_bcg_pool_is_the_one_metafor_documents():
    """metafor's tests give the dat.bcg random-effects (REML) log risk ratio as -0.7145 and tau^2 as 0.3132."""
    pooled = stats.pool_risk_ratios(TRIALS["bcg"])
    assert round(math.log(pooled.reml.estimate), 4) == -0.7145 and round(pooled.tau2_reml, 4) == 0.3132


OUR_RD = {"wald": "wald", "newcombe_hybrid_score": "newcomb"}


@pytest.mark.parametrize("row", [r for r in TWO if r["method"] in OUR_RD], ids=lambda r: f"{r['case']} {r['method']}")
def test_risk_difference_intervals_print_as_the_papers_print_them(row):
    """Newcombe 1998 Table II and Fagerland et al. 2015: each printed end contains ours under half-up rounding.
    The methods this project lacks (Agresti-Caffo, Miettinen-Nurminen, exact unconditional) are not compared."""
    res = stats.risk_difference(int(row["x1"]), int(row["n1"]), int(row["x2"]), int(row["n2"]), OUR_RD[row["method"]])
    assert parse(row["ci_low"]).interval("half_up").contains(res.ci_low)
    assert parse(row["ci_high"]).interval("half_up").contains(res.ci_high)


def test_the_two_proportion_cases_cover_both_methods():
    assert sum(r["method"] == "newcombe_hybrid_score" for r in TWO) == 9 and sum(r["method"] == "wald" for r in TWO) == 4


# statcheck settings and forms this project does not model, and why.
STATCHECK_SKIPPED = {
    "statistic printed as a bound, t(28) < 2.2": lambda r: re.search(r"\)\s*=", r["text"]) is None,
    "p printed as 'ns'": lambda r: r["p_comparison"] == "ns",
    "a non-default statcheck option other than OneTailedTxt": lambda r: r["options"] not in ("", "OneTailedTxt=TRUE"),
}


def _statcheck_cases() -> list:
    return [r for r in STATCHECK if not any(skip(r) for skip in STATCHECK_SKIPPED.values())]


def _error(row) -> bool:
    test = {"t": "t", "Chi2": "chi2"}[row["test"]]
    statistic, df = parse(row["statistic"]), float(row["df2"] or row["df1"])
    p = parse(("" if row["p_comparison"] == "=" else row["p_comparison"]) + row["p_value"])
    if statcheck.p_consistent(test, statistic, p, df):
        return False
    one_sided = row["options"] == "OneTailedTxt=TRUE" and statcheck.consistent_one_sided_only(
        test, statistic, p, df, text=row["text"])
    return not one_sided


@pytest.mark.parametrize("row", _statcheck_cases(), ids=lambda r: r["text"] + (f" [{r['options']}]" if r["options"] else ""))
def test_statcheck_errors(row):
    """statcheck's ``error`` (the printed p cannot come from the printed statistic), with its one-tailed
    correction where the text names a one-sided test and OneTailedTxt is on."""
    assert _error(row) == (row["error"] == "TRUE")


def test_the_statcheck_cases_cover_t_chi_square_and_one_tailed_texts():
    cases = _statcheck_cases()
    assert len(cases) >= 40 and {r["test"] for r in cases} == {"t", "Chi2"}
    assert any(r["options"] == "OneTailedTxt=TRUE" for r in cases)
