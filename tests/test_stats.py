"""Every statistic against reference values computed in R (tests/fixtures/r/reference.R)."""

import csv
import math
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest

from reanalysis import inference, stats
from reanalysis.rounding import parse
from tests.conftest import ROOT

FIXTURE = ROOT / "tests" / "fixtures" / "r" / "reference.csv"


def _reference():
    with FIXTURE.open(encoding="utf-8") as f:
        rows = csv.DictReader(line for line in f if not line.startswith("#"))
        return {(r["id"], r["quantity"]): float(r["value"]) for r in rows}


R = _reference()
# R prints 15 significant digits; scipy's and R's beta-quantile root finders agree to about 1e-12,
# nine orders of magnitude below any printed precision.
REL = 1e-9


def close(a, b):
    return math.isclose(a, b, rel_tol=REL, abs_tol=1e-15)


@pytest.fixture(scope="module")
def comparisons(ohtomo):
    return {c.data.comparison.id: c.data for c in ohtomo.comparisons}


@pytest.mark.parametrize("cid", ["relapses", "csa-cumulative", "psl-cumulative", "weight", "upcr", "sbp", "dbp"])
def test_paired_t_matches_r(comparisons, cid):
    d = comparisons[cid]
    res = stats.paired_t(d.before, d.after)
    assert close(res.statistic, R[cid, "t_statistic"])
    assert res.df == R[cid, "t_df"]
    assert close(res.p_value, R[cid, "t_p"])
    assert close(res.mean_difference, R[cid, "t_mean_difference"])
    assert close(res.ci_low, R[cid, "t_ci_low"]) and close(res.ci_high, R[cid, "t_ci_high"])


@pytest.mark.parametrize("cid", ["relapses", "csa-cumulative", "psl-cumulative", "weight", "upcr", "sbp", "dbp"])
def test_wilcoxon_matches_r(comparisons, cid):
    d = comparisons[cid]
    res = stats.wilcoxon_signed_rank(d.before, d.after)
    assert close(res.p_value, R[cid, "wilcoxon_p"])
    assert res.statistic == R[cid, "wilcoxon_v"]  # R's V (sum of positive ranks), not scipy's min(V, W-)


@pytest.mark.parametrize("cid", ["relapses", "csa-cumulative", "psl-cumulative", "weight", "upcr", "sbp", "dbp"])
def test_permutation_matches_r_enumeration(comparisons, cid):
    d = comparisons[cid]
    assert close(stats.paired_permutation(d.before, d.after).p_value, R[cid, "permutation_p"])


def test_wilcoxon_names_exact_or_conditional_method(comparisons):
    assert "exact conditional on ties" in stats.wilcoxon_signed_rank(
        comparisons["relapses"].before, comparisons["relapses"].after).method
    assert ", exact, " in stats.wilcoxon_signed_rank(
        comparisons["csa-cumulative"].before, comparisons["csa-cumulative"].after).method


@pytest.mark.parametrize("rid, table, column, subset", [
    ("age_months", "table1", "age_months", None), ("onset_age_months", "table1", "onset_age_months", None),
    ("height_sd_score", "table1", "height_sd_score", None), ("gfr", "table1", "gfr_schwartz_ml_min_173m2", None),
    ("csa_duration", "table1", "csa_duration_months", None), ("trough", "table1", "csa_trough_pre_mzr_ng_ml", None),
])
def test_describe_matches_r(ohtomo, rid, table, column, subset):
    x = ohtomo.dataset.tables[table].frame[column]
    d = stats.describe(x)
    assert close(d.mean, R[rid, "mean"]) and close(d.sd, R[rid, "sd"])
    assert d.n == 9 and d.minimum == x.min() and d.maximum == x.max()


COUNTS = [(5, 9), (6, 9), (7, 9), (13, 14), (9, 11), (9, 14), (12, 14), (7, 11), (7, 14), (10, 14)]


@pytest.mark.parametrize("k, n", COUNTS)
def test_clopper_pearson_matches_r(k, n):
    p = stats.clopper_pearson(k, n)
    assert close(p.ci_low, R[f"binom_{k}_{n}", "ci_low"]) and close(p.ci_high, R[f"binom_{k}_{n}", "ci_high"])
    assert p.estimate == k / n and "Clopper-Pearson" in p.method


@pytest.mark.parametrize("k, n", COUNTS)
def test_wilson_matches_r_prop_test_without_correction(k, n):
    p = stats.wilson(k, n)
    assert close(p.ci_low, R[f"binom_{k}_{n}", "wilson_low"]) and close(p.ci_high, R[f"binom_{k}_{n}", "wilson_high"])
    assert "Wilson" in p.method


@pytest.mark.parametrize("mean, n, step, expected", [
    ("5.19", 28, "1", None),                 # Brown & Heathers' example: impossible
    ("5.18", 28, "1", Fraction(145, 28)),
    ("36.4", 14, "1", Fraction(255, 7)),
    ("3.44", 9, "1", Fraction(31, 9)),
    ("3.45", 9, "1", None),
    ("59.4", 14, "2.5", None),               # doses in half 5-mg tablets cannot average 59.4 over 14
    ("0.74", 14, "0.01", Fraction(74, 100)),
])
def test_grim(mean, n, step, expected):
    assert stats.grim(parse(mean), n, Decimal(step)) == expected


def test_grim_for_a_mean_of_several_items():
    """Three whole-number items per person: each score is a multiple of 1/3, a mean of 10 a multiple of 1/30."""
    assert stats.grim(parse("2.47"), 10, Fraction(1, 3)) == Fraction(74, 30)
    assert stats.grim(parse("2.45"), 10, Fraction(1, 3)) is None  # 73/30 = 2.433 and 74/30 = 2.467
    assert stats.grim(parse("2.45"), 20, Fraction(1)) == Fraction(49, 20)


@pytest.mark.parametrize("mean, sd, n, expected", [
    ("0.35", "0.49", 20, 7),    # 7/20 and sqrt(7 * 13 / (20 * 19)) = 0.4894
    ("0.35", "0.45", 20, None),
    ("0.50", "0.53", 10, 5),    # sqrt(25 / 90) = 0.527
    ("0.00", "0.00", 12, 0),
    ("0.33", "0.49", 12, 4),    # 4/12 = 0.333, sqrt(32 / 132) = 0.492
    ("0.33", "0.48", 12, None),
])
def test_debit(mean, sd, n, expected):
    assert stats.debit(parse(mean), parse(sd), n) == expected


def test_grim_rejects_bad_n_and_step():
    with pytest.raises(ValueError, match="whole number"):
        stats.grim(parse("1.0"), 0, Decimal(1))
    with pytest.raises(ValueError, match="positive granularity"):
        stats.grim(parse("1.0"), 3, Decimal(0))


def test_results_are_builtin_floats(comparisons):
    d = comparisons["relapses"]
    for res in (stats.paired_t(d.before, d.after), stats.wilcoxon_signed_rank(d.before, d.after),
                stats.describe(d.before)):
        for value in vars(res).values():
            assert not type(value).__module__.startswith("numpy")


@pytest.mark.parametrize("call, message", [
    (lambda: stats.describe([]), "non-empty"),
    (lambda: stats.describe([1.0, float("nan")]), "missing"),
    (lambda: stats.paired_t([1, 2, 3], [1, 2]), "3 values before but 2 after"),
    (lambda: stats.paired_t([1], [2]), "at least two pairs"),
    (lambda: stats.wilcoxon_signed_rank([1, 2], [1, 2]), "every paired difference is zero"),
    (lambda: stats.clopper_pearson(10, 9), "0 <= k <= n"),
])
def test_bad_input_raises_value_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_paired_tests_are_antisymmetric(comparisons):
    d = comparisons["weight"]
    forward, backward = stats.paired_t(d.before, d.after), stats.paired_t(d.after, d.before)
    assert forward.p_value == backward.p_value and forward.statistic == -backward.statistic
    assert stats.paired_permutation(d.before, d.after).p_value == stats.paired_permutation(d.after, d.before).p_value


def test_intervals_honour_the_confidence_level():
    cp, w = stats.clopper_pearson(6, 9, confidence=0.9), stats.wilson(6, 9, confidence=0.9)
    assert close(cp.ci_low, R["binom_6_9_90", "ci_low"]) and close(cp.ci_high, R["binom_6_9_90", "ci_high"])
    assert close(w.ci_low, R["binom_6_9_90", "wilson_low"]) and close(w.ci_high, R["binom_6_9_90", "wilson_high"])
    assert "90% CI" in cp.method and "90% CI" in w.method
    assert (w.k, w.n, w.estimate) == (6, 9, 6 / 9)


def test_describe_small_samples():
    one = stats.describe([4.0])
    assert one.n == 1 and one.mean == 4.0 and math.isnan(one.sd)
    assert stats.describe([1.0, 3.0]).sd == math.sqrt(2)


def test_test_records_carry_n_and_statistic(comparisons):
    d = comparisons["relapses"]
    t = stats.paired_t(d.before, d.after)
    assert t.n == 9 and t.df == 8
    w = stats.wilcoxon_signed_rank(d.before, d.after)
    assert w.n == 8 and w.statistic == 2.5  # one zero difference dropped
    perm = stats.paired_permutation(d.before, d.after)
    assert perm.n == 9 and close(perm.statistic, -11 / 9) and "all 512 sign assignments" in perm.method


@pytest.mark.parametrize("mean, n, step, expected", [
    ("0.13", 8, "1", Fraction(1, 8)),   # 0.125 is the closed lower end of [0.125, 0.135)
    ("0.12", 8, "1", None),             # ... and the open upper end of [0.115, 0.125)
    ("7.0", 1, "1", Fraction(7)),
    ("3.3", 8, "1", Fraction(26, 8)),   # 3.25 rounds half up to 3.3
])
def test_grim_interval_ends(mean, n, step, expected):
    assert stats.grim(parse(mean), n, Decimal(step)) == expected


@pytest.mark.parametrize("mean, sd, n, expected", [
    ("22.0", "2.1", 8, (176, 3904)), ("3.3", "2.8", 8, (26, 140)), ("1.1", "2.1", 8, (9, 41)),
    ("5.0", "0.1", 3, None),   # three whole numbers averaging 5 have SD 0 or >= 0.58
    ("3.45", "1.0", 9, None),  # fails GRIM already
])
def test_grimmer(mean, sd, n, expected):
    assert stats.grimmer(parse(mean), parse(sd), n) == expected


@pytest.mark.parametrize("mean, sd, n", [("0.5", "0.0", 8), ("7.5", "0.2", 10), ("1.2", "0.3", 57)])
def test_grimmer_rejects_pairs_no_integer_sample_has(mean, sd, n):
    """scrutiny and rsprite2 accept these (a sum and a sum of squares of one parity exist); no n integers
    have them: 8 integers summing to 4 have a sum of squares of at least 4, not 2 (issue 15)."""
    assert stats.grimmer(parse(mean), parse(sd), n) is None


def _printed_pairs(n: int, values: range) -> set:
    """Every (mean, SD) printed at one decimal, half up, by some n integers from ``values``."""
    from itertools import combinations_with_replacement
    pairs = set()
    for t, q in {(sum(c), sum(x * x for x in c)) for c in combinations_with_replacement(values, n)}:
        mean = math.floor(Fraction(10 * t, n) + Fraction(1, 2))  # half up: every mean here is positive or 0
        variance = Fraction(100 * (n * q - t * t), n * (n - 1))  # of 10 x the values
        sd = math.isqrt(math.floor(variance))
        sd += (sd + Fraction(1, 2)) ** 2 <= variance  # the SD rounds up from sd when it reaches sd + 1/2
        pairs.add((mean, sd))
    return pairs


@pytest.mark.parametrize("n", [2, 3, 4, 5])
def test_grimmer_equals_exhaustive_search_for_small_n(n):
    """Every one-decimal mean from 0.0 to 4.0 and SD from 0.0 to 2.5: GRIMMER accepts the pair exactly when some
    n integers have it. Values from -6 to 10 cover every such sample: no value lies farther than
    SD (n - 1) / sqrt(n) < 2.55 x 4 / sqrt(5) < 4.6 from a mean in [-0.05, 4.05). The sum-of-squares bound alone
    accepts 18 pairs at n = 2, 23 at n = 3 and 8 at n = 4 that no integers have; the enumeration rejects them."""
    printed = _printed_pairs(n, range(-6, 11))
    for m in range(41):
        for s in range(26):
            mean, sd = parse(f"{m / 10:.1f}"), parse(f"{s / 10:.1f}")
            exists = (m, s) in printed
            assert (stats.grimmer(mean, sd, n) is not None) == exists, (mean.text, sd.text, n)


def test_sd_limits_with_range_and_with_floor():
    low, high = stats.sd_limits(parse("22.0"), 8, parse("20"), parse("26"))
    assert 0 < low < 2.1 < high
    assert stats.sd_limits(parse("0.09"), 8, floor=0) == (0.0, pytest.approx(0.095 * math.sqrt(8)))
    with pytest.raises(ValueError, match="range or a lower limit"):
        stats.sd_limits(parse("1.0"), 8)


@pytest.mark.parametrize("cells, p_range, expected", [
    (("4.56", "2.8", "0.09", "0.1"), (0, 0.01), (-1.0, 1.0)),      # holds whatever the correlation
    (("11.1", "1.5", "12.4", "1.5"), (0.01, 0.05), (0.334, 0.804)),  # needs a moderate positive r
    (("11.1", "1.5", "11.1", "1.5"), (0, 0.01), (0.999, 1.0)),    # equal means: only r -> 1 makes it significant
    (("4.56", "2.8", "0.09", "0.1"), (0.05, 1.0), None),           # a fall this large cannot be non-significant
])
def test_mark_correlations(cells, p_range, expected):
    assert stats.mark_correlations(*map(parse, cells), 8, *p_range) == expected


def test_mark_correlations_upper_end_is_where_the_least_significant_case_reaches_p_001():
    """Hemoglobin, baseline 11.1 (1.5) vs month 4 12.4 (1.5), marked *: at the upper end r = 0.804 the
    least significant values in the rounding box (smallest change, largest variance of the difference)
    still give p >= 0.01; at r = 0.806 they no longer do."""
    from scipy import stats as sps

    def p_least_significant(r, n=8):
        d_min = 12.35 - 11.15
        v_max = max(a * a + b * b - 2 * r * a * b for a in (1.45, 1.55) for b in (1.45, 1.55))
        return 2 * sps.t.sf(d_min / math.sqrt(v_max / n), n - 1)

    assert p_least_significant(0.804) >= 0.01 > p_least_significant(0.806)


PAIRS = ["ginzler-cr-mmf|ginzler-cr-ivc", "ong-remission-ivc|ong-remission-mmf", "chan05-doubling-mmf|chan05-doubling-cyc",
         "chan05-esrd-mmf|chan05-esrd-cyc", "chan00-infection-mmf|chan00-infection-cyc"]


def _arms(pair):
    import csv as _csv
    with (ROOT / "datasets" / "jcr2011" / "arms.csv").open(encoding="utf-8") as f:
        rows = {r["row"]: (int(r["events"]), int(r["n"])) for r in _csv.DictReader(f) if r["n"]}
    a, b = pair.split("|")
    return (*rows[a], *rows[b])


@pytest.mark.parametrize("pair", PAIRS)
@pytest.mark.parametrize("method", stats.TWO_BY_TWO)
def test_two_by_two_matches_r(pair, method):
    res = stats.two_by_two(*_arms(pair), method)
    assert close(res.p_value, R[pair, method])
    if method == "fisher":  # R's conditional MLE, not the sample odds ratio; R's uniroot is within 1e-3 of the root
        assert res.statistic == pytest.approx(R[pair, "fisher_estimate"], rel=1e-3, abs=1e-12)
        assert "conditional MLE" in res.method


@pytest.mark.parametrize("pair", PAIRS)
def test_risk_difference_and_ratio_match_r(pair):
    counts = _arms(pair)
    wald, newcombe = stats.risk_difference(*counts, "wald"), stats.risk_difference(*counts, "newcomb")
    assert close(wald.ci_low, R[pair, "rd_wald_low"]) and close(wald.ci_high, R[pair, "rd_wald_high"])
    assert close(newcombe.ci_low, R[pair, "rd_newcombe_low"]) and close(newcombe.ci_high, R[pair, "rd_newcombe_high"])
    if (pair, "rr_low") in R:
        rr = stats.risk_ratio(*counts)
        assert close(rr.ci_low, R[pair, "rr_low"]) and close(rr.ci_high, R[pair, "rr_high"])
    else:  # a zero cell: 1/2 added to every cell, as metafor's escalc (tests/fixtures/r/meta.R)
        rr = stats.risk_ratio(*counts)
        assert pair == "chan05-esrd-mmf|chan05-esrd-cyc" and "1/2 added" in rr.method
        assert close(rr.estimate, META["chan05_esrd", "rr"]) and close(rr.ci_low, META["chan05_esrd", "rr_low"])
        assert close(rr.ci_high, META["chan05_esrd", "rr_high"])


def test_the_papers_pooled_complete_remission_matches_metafor():
    """Shadowed until now by the parametrized test of the same name below (pyflakes found it): it runs again."""
    pooled = stats.pool_risk_ratios([(16, 71, 4, 69), (5, 19, 3, 25), (17, 21, 16, 21)])
    for name, r in (("FE", pooled.fixed), ("DL", pooled.dersimonian_laird)):
        key = f"pooled-complete-remission-{name}"
        assert close(r.estimate, R[key, "rr"]) and close(r.ci_low, R[key, "low"]) and close(r.ci_high, R[key, "high"])
    assert close(pooled.q, R["pooled-complete-remission-FE", "QE"]) and close(pooled.tau2_dl, R["pooled-complete-remission-DL", "tau2"])
    # Paule-Mandel is found by iteration; statsmodels and metafor stop at different tolerances.
    key = "pooled-complete-remission-PM"
    assert math.isclose(pooled.paule_mandel.estimate, R[key, "rr"], rel_tol=1e-5)
    assert math.isclose(pooled.tau2_pm, R[key, "tau2"], rel_tol=1e-4)


def test_two_by_two_rejects_bad_input():
    with pytest.raises(ValueError, match="unknown 2x2 test"):
        stats.two_by_two(1, 10, 2, 10, "barnard")
    with pytest.raises(ValueError, match="0 <= k <= n"):
        stats.two_by_two(11, 10, 2, 10, "fisher")
    with pytest.raises(ValueError, match="unknown risk-difference CI"):
        stats.risk_difference(1, 10, 2, 10, "agresti")


def test_count_checks():
    assert stats.clopper_pearson(0, 1).ci_high < 1 and stats.clopper_pearson(1, 1).ci_low > 0
    for k, n in ((1.5, 3), (1, 3.0), (0, 0), (-1, 3), (4, 3)):
        with pytest.raises(ValueError, match=r"^Clopper-Pearson interval needs whole counts 0 <= k <= n, n >= 1"):
            stats.clopper_pearson(k, n)
    with pytest.raises(ValueError, match=r"^Wilson interval needs whole counts"):
        stats.wilson(2, 1)
    with pytest.raises(ValueError, match=r"^Wilcoxon signed-rank test: every paired difference is zero$"):
        stats.wilcoxon_signed_rank([1, 2], [1, 2])


def test_permutation_is_exact_beyond_the_default_resample_count():
    """14 pairs have 16,384 sign assignments, more than scipy's default 9,999 resamples: the test must enumerate."""
    import itertools
    before = [float(i % 5) for i in range(14)]
    after = [b + d for b, d in zip(before, [0.5, -1, 2, 1.5, -0.5, 1, 3, -2, 0.25, 1.25, 2.5, -1.5, 0.75, 1.75])]
    diffs = np.subtract(after, before)
    observed = abs(diffs.mean())
    hits = sum(abs(np.dot(signs, diffs) / 14) >= observed - 1e-12 for signs in itertools.product((-1, 1), repeat=14))
    assert stats.paired_permutation(before, after).p_value == pytest.approx(hits / 2 ** 14, rel=1e-12)


def test_grimmer_edges():
    assert stats.grimmer(parse("1.5"), parse("0.7"), 2) == (3, 5)
    with pytest.raises(ValueError, match="whole n >= 2"):
        stats.grimmer(parse("1.0"), parse("0.0"), 1)


def test_sd_limits_small_range_and_nonzero_floor():
    low, high = stats.sd_limits(parse("11.1"), 8, parse("10.9"), parse("11.3"))
    assert low == pytest.approx((11.25 - 10.95) / math.sqrt(14))
    assert high == pytest.approx(math.sqrt((11.35 - 11.1) * (11.1 - 10.85) * 8 / 7))
    assert stats.sd_limits(parse("3.0"), 4, floor=1.0) == (0.0, pytest.approx((3.05 - 1.0) * 2))


def _brute_force_marks(cells, n, p_low, p_high, r_values):
    from scipy import stats as sps
    ivs = [parse(c).interval("half_up") for c in cells]
    (m0a, m0b), (s0a, s0b), (m1a, m1b), (s1a, s1b) = [(float(i.low), float(i.high)) for i in ivs]
    grid = lambda a, b: np.linspace(a, b, 61)
    ok = []
    for r in r_values:
        v = [x * x + y * y - 2 * r * x * y for x in grid(s0a, s0b) for y in grid(s1a, s1b)]
        d = [abs(b - a) for a in grid(m0a, m0b) for b in grid(m1a, m1b)]
        p_min = 2 * sps.t.sf(max(d) / math.sqrt(max(min(v), 1e-300) / n), n - 1)
        p_max = 2 * sps.t.sf(min(d) / math.sqrt(max(v) / n), n - 1)
        if p_min < p_high and p_max >= p_low:
            ok.append(round(float(r), 3))
    return (min(ok), max(ok)) if ok else None


@pytest.mark.parametrize("cells, p_range", [
    (("1.0", "1.0", "1.6", "2.0"), (0.01, 0.05)),
    (("5.0", "2.0", "6.5", "1.0"), (0.0, 0.05)),
    (("11.1", "1.5", "12.4", "1.5"), (0.01, 0.05)),
    (("10.0", "4.0", "12.0", "1.0"), (0.0, 0.01)),   # s0 > s1: the edge point r*s0 must be clipped to s1's box
    (("10.0", "2.0", "11.0", "4.0"), (0.0, 0.05)),   # s0 = r*s1 falls inside s0's box at r = 0.5
    (("10.0", "4.0", "11.0", "2.0"), (0.0, 0.05)),
    (("10", "1", "11", "3"), (0.01, 0.05)),          # whole-number SDs: wide boxes, the interior minimum decides
    (("10", "3", "11", "1"), (0.01, 0.05)),
])
def test_mark_correlations_agree_with_a_brute_force_search(cells, p_range):
    """Interior minima of the difference's variance (s0 = r s1) matter: compare with a dense grid over the box."""
    r_values = np.linspace(-1, 1, 201)
    expected = _brute_force_marks(cells, 8, *p_range, r_values)
    got = stats.mark_correlations(*map(parse, cells), 8, *p_range, steps=201)
    assert (got is None) == (expected is None)
    if got:
        assert abs(got[0] - expected[0]) <= 0.01 and abs(got[1] - expected[1]) <= 0.01


def test_two_by_two_records_and_empty_columns():
    pearson = stats.two_by_two(16, 71, 4, 69, "pearson")
    pooled = 20 / 140
    z = (16 / 71 - 4 / 69) / math.sqrt(pooled * (1 - pooled) * (1 / 71 + 1 / 69))
    assert pearson.n == 140 and close(pearson.statistic, z * z)  # Pearson's X^2 is the pooled z squared
    fisher = stats.two_by_two(16, 71, 4, 69, "fisher")
    assert fisher.statistic == inference.odds_ratio_conditional([[16, 55], [4, 65]]).estimate  # not 16*65/(55*4)
    assert fisher.statistic != pytest.approx(16 * 65 / (55 * 4), rel=1e-3)
    for method in ("pearson", "yates"):
        with pytest.raises(ValueError, match="^chi-square test: a column of the 2x2 table is empty$"):
            stats.two_by_two(0, 10, 0, 12, method)
    empty = stats.two_by_two(0, 10, 0, 12, "fisher")
    assert empty.p_value == 1.0 and math.isnan(empty.statistic) and "the odds ratio is undefined" in empty.method


@pytest.mark.parametrize("call, message", [
    (lambda: stats.describe([]), "describe: needs a non-empty one-dimensional sample"),
    (lambda: stats.describe([1.0, None]),
     "describe: the sample has missing or infinite values; choose the subset explicitly"),
    (lambda: stats.paired_t([1.0, None], [1, 2]),
     "paired test: the sample has missing or infinite values; choose the subset explicitly"),
    (lambda: stats.paired_t([1, 2], [[1, 2]]), "paired test: needs a non-empty one-dimensional sample"),
    (lambda: stats.paired_t([1], [2]), "paired test: needs at least two pairs"),
    (lambda: stats.two_by_two(11, 10, 2, 10, "fisher"),
     "two-by-two test interval needs whole counts 0 <= k <= n, n >= 1; got k=11, n=10"),
    (lambda: stats.two_by_two(1, 10, 2, 10, "barnard"),
     "unknown 2x2 test 'barnard'; known: pearson, yates, fisher, wald_z"),
    (lambda: stats.two_by_two(0, 10, 12, 12, "wald_z"),
     "unpooled z-test: both proportions are 0 or 1, so their difference has no variance"),
    (lambda: stats.sd_limits(parse("1.0"), 8), "sd_limits needs a printed range or a lower limit"),
    (lambda: stats.sd_limits(parse("3.0"), 4, low=parse("1"), floor=1.0), "sd_limits: a printed range needs both its ends"),
])
def test_error_messages_name_the_statistic_and_the_problem(call, message):
    """The whole message, word for word: it is what a user reads when a claim cannot be computed."""
    with pytest.raises(ValueError) as err:
        call()
    assert str(err.value) == message


def test_a_single_value_has_no_sd_and_no_warning():
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert math.isnan(stats.describe([4.0]).sd)


def test_wilcoxon_with_ties_is_exact_beyond_scipys_automatic_enumeration():
    """14 differences with ties: scipy's default switches to the normal approximation (p = 0.0100);
    the exact conditional test gives R coin's p = 0.00708."""
    ties = [1, 2, 2, 3, -1, 4, 5, 6, 7, -8, 9, 10, 11, 12]
    res = stats.wilcoxon_signed_rank([0.0] * 14, ties)
    assert close(res.p_value, R["ties14", "wilcoxon_p"])


def test_newcombe_interval_is_named():
    assert stats.risk_difference(16, 71, 4, 69, "newcomb").method == (
        "risk difference with Newcombe hybrid score 95% CI, statsmodels confint_proportions_2indep(method='newcomb')")


@pytest.mark.parametrize("mean, sd, n, expected", [
    ("5.0", "0.0", 3, (15, 75)),      # all three values 5: the sum of squares is its minimum, S**2 / n
    ("1.5", "0.5", 10, (15, 25)),     # five 1s and five 2s (SD 0.527): for an SD below 1, its square is the bound
])
def test_grimmer_at_the_ends_of_the_sum_of_squares(mean, sd, n, expected):
    assert stats.grimmer(parse(mean), parse(sd), n) == expected


@pytest.mark.parametrize("cells, n, p_range, steps, expected", [
    (("11.1", "1.5", "11.1", "1.5"), 8, (0.05, 1.0), 2001, (-1.0, 1.0)),  # equal means: no mark holds for any r
    (("100", "0.1", "0", "0.1"), 200, (0, 0.01), 2001, (-1.0, 1.0)),      # p underflows to 0, still in [0, 0.01)
    (("11.1", "1.5", "12.4", "1.5"), 8, (0.01, 0.05), 7, (0.333, 0.667)),  # grid ends given to 3 decimals
    (("10", "1", "11", "3"), 8, (0.01, 0.05), 2001, (0.291, 1.0)),        # s0 = r s1 inside s0's box
    (("10", "3", "11", "1"), 8, (0.01, 0.05), 2001, (0.291, 1.0)),        # s1 = r s0 inside s1's box
])
def test_mark_correlations_edges(cells, n, p_range, steps, expected):
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a zero variance at r = 1 is an infinite t, not a warning
        assert stats.mark_correlations(*map(parse, cells), n, *p_range, steps=steps) == expected


def _meta():
    with (ROOT / "tests" / "fixtures" / "r" / "meta.csv").open(encoding="utf-8") as f:
        rows = csv.DictReader(line for line in f if not line.startswith("#"))
        return {(r["id"], r["quantity"]): float(r["value"]) for r in rows}


META = _meta()
POOLS = {"agreeing": [(1, 20, 3, 20), (2, 20, 4, 20), (5, 30, 9, 30)],
         "zero_cell": [(0, 20, 3, 20), (2, 20, 4, 20), (5, 30, 9, 30)],
         "heterogeneous": [(2, 40, 10, 40), (15, 30, 5, 30), (4, 35, 12, 35)]}


@pytest.mark.parametrize("name", POOLS)
def test_pooled_risk_ratios_match_metafor(name):
    """metafor::rma(method = "FE" / "DL" / "PM" / "REML", and REML with test = "knha") on escalc(measure = "RR")
    (tests/fixtures/r/meta.R); REML and Hartung-Knapp to 1e-6 at least."""
    pooled = stats.pool_risk_ratios(POOLS[name])
    for key, row in (("fe", pooled.fixed), ("dl", pooled.dersimonian_laird), ("pm", pooled.paule_mandel),
                     ("reml", pooled.reml), ("hk", pooled.hartung_knapp)):
        tolerance = {"pm": 1e-4, "reml": 1e-6, "hk": 1e-6}.get(key, 1e-9)  # PM: statsmodels stops at atol 1e-5
        assert row.estimate == pytest.approx(META[name, f"{key}_estimate"], rel=tolerance)
        assert row.ci_low == pytest.approx(META[name, f"{key}_ci_low"], rel=tolerance)
        assert row.ci_high == pytest.approx(META[name, f"{key}_ci_high"], rel=tolerance)
    assert pooled.tau2_dl == pytest.approx(META[name, "dl_tau2"], abs=1e-12, rel=1e-9)
    assert pooled.tau2_reml == pytest.approx(META[name, "reml_tau2"], abs=1e-12, rel=1e-6)
    assert pooled.q == pytest.approx(META[name, "q"], rel=1e-9)
    assert pooled.i2 == pytest.approx(META[name, "i2"], abs=1e-12, rel=1e-9)


def test_dersimonian_laird_truncates_tau2_at_0_and_says_so():
    """Trials that agree (Q = 0.18 < k - 1 = 2): statsmodels' untruncated tau^2 is about -0.54 and its CI
    excludes 1; metafor's, and ours, is 0 and the CI is [0.235, 1.100]."""
    pooled = stats.pool_risk_ratios(POOLS["agreeing"])
    assert pooled.tau2_dl == 0 and pooled.i2 == 0 and pooled.dersimonian_laird.ci_high > 1
    assert "tau² truncated at 0: Q = 0.18 < k - 1 = 2" in pooled.dersimonian_laird.method
    assert "truncated" not in stats.pool_risk_ratios(POOLS["heterogeneous"]).dersimonian_laird.method


def test_reml_is_truncated_at_0_and_hartung_knapp_is_named():
    pooled = stats.pool_risk_ratios(POOLS["agreeing"])
    assert pooled.tau2_reml == 0 and pooled.reml.estimate == pooled.dersimonian_laird.estimate
    assert pooled.hartung_knapp.method == "random effects, REML, Hartung-Knapp-Sidik-Jonkman t CI on 2 df"
    assert [r.method.split(",")[0] for r in pooled.estimates] == ["fixed effect"] + ["random effects"] * 4


def test_a_wald_risk_difference_ci_is_clipped_to_minus_one_one_as_prop_test():
    rd = stats.risk_difference(3, 4, 1, 4, "wald")
    assert rd.ci_low == pytest.approx(META["wald_3of4_vs_1of4", "ci_low"], rel=1e-9)
    assert rd.ci_high == META["wald_3of4_vs_1of4", "ci_high"] == 1.0 and "clipped to [-1, 1]" in rd.method
    assert "clipped" not in stats.risk_difference(16, 71, 4, 69, "wald").method


def test_a_zero_cell_gets_half_added_to_every_cell_of_its_trial_as_metafor():
    """escalc(measure = "RR", add = 1/2, to = "only0"): 0/20 vs 3/20 becomes 0.5/21 vs 3.5/21."""
    rr = stats.risk_ratio(0, 20, 3, 20)
    assert rr.estimate == pytest.approx(META["zero_cell_trial", "estimate"], rel=1e-12)
    half = 1.959963984540054 * math.sqrt(META["zero_cell_trial", "variance"])
    assert rr.ci_low == pytest.approx(rr.estimate * math.exp(-half), rel=1e-12) and "escalc(add = 1/2" in rr.method
    assert stats.zero_cell_corrected(3, 3, 1, 4) == (3.5, 4, 1.5, 5, True)  # a full arm is a zero cell too
    assert stats.zero_cell_corrected(1, 3, 1, 4) == (1, 3, 1, 4, False)
    pooled = stats.pool_risk_ratios(POOLS["zero_cell"])
    assert all("1/2 added" in r.method for r in (pooled.fixed, pooled.dersimonian_laird, pooled.paule_mandel))


FORTY_BEFORE = [2, 2, 3, 4, 0, 0, 4, 4, 1, 1, 4, 2, 1, 4, 1, 2, 3, 2, 0, 0, 4, 3, 4, 2, 4, 1, 2, 3, 0, 1, 0, 2, 4, 0, 1,
                2, 4, 1, 2, 1]
FORTY_AFTER = [0, 3, 1, 3, 0, 0, 2, 6, 2, 3, 2, 3, 0, 4, 3, 1, 4, 0, -1, 2, 4, 3, 3, 0, 4, 2, 2, 4, -1, 2, 1, 4, 4, -2, 2,
               2, 6, 1, 1, -1]


def test_sign_assignments_are_enumerated_only_up_to_a_stated_n():
    """40 pairs would be 2**40 assignments (at 22 pairs enumeration took 137 s and 6.2 GB): a seeded Monte Carlo
    for the permutation test, and R's normal approximation for the signed-rank test with ties."""
    import time

    start = time.perf_counter()
    perm = stats.paired_permutation(FORTY_BEFORE, FORTY_AFTER)
    wilcoxon = stats.wilcoxon_signed_rank(FORTY_BEFORE, FORTY_AFTER)
    assert time.perf_counter() - start < 10
    assert "Monte Carlo with 100,000 random sign assignments, seed 20051744" in perm.method
    assert perm.p_value == stats.paired_permutation(FORTY_BEFORE, FORTY_AFTER).p_value  # seeded: the same again
    assert 0.85 < perm.p_value < 0.95
    # R 4.2.2: x <- after - before; wilcox.test(x[x != 0], exact = FALSE, correct = TRUE): V = 217.5, p = 0.758374937252479
    assert wilcoxon.statistic == 217.5 and close(wilcoxon.p_value, 0.758374937252479)
    assert "normal approximation with tie and continuity corrections" in wilcoxon.method
    assert "all 65536 sign assignments" in stats.paired_permutation(FORTY_BEFORE[:16], FORTY_AFTER[:16]).method
