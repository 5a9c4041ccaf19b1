"""Statistics, pure: arrays or counts in, a frozen result record out.

Every test, interval and p-value is computed by scipy.stats; this module only chooses the
method, names it, and returns built-in floats. Paired differences are ``after - before``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from scipy import optimize, stats
from scipy.stats.contingency import odds_ratio
from statsmodels.stats.meta_analysis import combine_effects, effectsize_2proportions
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint, test_proportions_2indep

from reanalysis import reconstruct
from reanalysis.exact import Root

# Exact enumeration of the 2**n sign assignments up to this many pairs (65,536 assignments); beyond it a seeded
# Monte Carlo of RESAMPLES assignments, named in the method (at 22 pairs enumeration took 137 s and 6.2 GB).
EXACT_UP_TO = 16
RESAMPLES = 100_000
SEED = 20051744  # fixed, so the same data give the same Monte Carlo p-value (Pediatr Nephrol 2005;20:1744)

# Paired differences of printed decimals carry binary noise (2.73 - 2.13 != 0.60 exactly);
# rounding them far below any printed precision lets equal printed differences tie.
_NOISE_DECIMALS = 10


@dataclass(frozen=True)
class Description:
    """Sample size, mean, sample SD (n - 1 denominator), minimum and maximum."""

    n: int
    mean: float
    sd: float
    minimum: float
    maximum: float


@dataclass(frozen=True)
class PairedT:
    """A paired t-test: mean difference (after - before) with its CI, t, df and p."""

    n: int
    mean_difference: float
    ci_low: float
    ci_high: float
    statistic: float
    df: int
    p_value: float
    method: str


@dataclass(frozen=True)
class TestResult:
    """A test reduced to its statistic and p-value, with the exact method that produced them."""

    n: int
    statistic: float
    p_value: float
    method: str


@dataclass(frozen=True)
class Proportion:
    """A proportion k/n with its confidence interval."""

    k: int
    n: int
    estimate: float
    ci_low: float
    ci_high: float
    method: str


def describe(values) -> Description:
    """Describe a sample.

    Parameters
    ----------
    values : array_like
        The observations; none may be missing.

    Returns
    -------
    Description

    Notes
    -----
    The SD is the sample SD with denominator n - 1, as R's ``sd(x)``; the mean is R's ``mean(x)``.

    Examples
    --------
    >>> describe([1, 2, 3]).sd
    1.0
    """
    x = _finite(values, "describe")
    return Description(
        n=int(x.size),
        mean=float(np.mean(x)),
        sd=float(np.std(x, ddof=1)) if x.size > 1 else float("nan"),
        minimum=float(np.min(x)),
        maximum=float(np.max(x)),
    )


def paired_t(before, after, confidence: float = 0.95) -> PairedT:
    """Two-sided paired t-test of ``after - before``.

    Notes
    -----
    ``scipy.stats.ttest_rel(after, before)``; the CI is the t interval of the mean
    difference. Equivalent R call: ``t.test(after, before, paired = TRUE)``.

    Examples
    --------
    >>> round(paired_t([3, 3, 2], [1, 1, 1]).p_value, 4)
    0.0377
    """
    b, a = _pair(before, after)
    res = stats.ttest_rel(a, b)
    ci = res.confidence_interval(confidence)
    return PairedT(
        n=int(a.size),
        mean_difference=float(np.mean(a - b)),
        ci_low=float(ci.low),
        ci_high=float(ci.high),
        statistic=float(res.statistic),
        df=int(res.df),
        p_value=float(res.pvalue),
        method="paired t-test, two-sided, scipy.stats.ttest_rel (R: t.test(after, before, paired = TRUE))",
    )


def wilcoxon_signed_rank(before, after) -> TestResult:
    """Two-sided Wilcoxon signed-rank test of ``after - before``, exact wherever possible.

    Notes
    -----
    Zero differences are dropped (Wilcoxon's convention, R's default). Without ties among
    the remaining absolute differences the exact null distribution is used
    (``scipy.stats.wilcoxon(method="exact")``; R: ``wilcox.test(after, before, paired = TRUE,
    exact = TRUE)``). With ties the p-value is exact conditional on the tied ranks, by
    enumerating every sign assignment (``method=PermutationMethod(n_resamples=inf)``; R:
    ``coin::wilcoxsign_test(after ~ before, zero.method = "Wilcoxon", distribution = "exact")``), up to
    :data:`EXACT_UP_TO` pairs; beyond, the normal approximation with tie and continuity corrections (R's
    default with ties, ``wilcox.test(exact = FALSE, correct = TRUE)``).
    The statistic is R's V, the sum of the ranks of the positive differences ``after - before``;
    scipy's two-sided statistic is min(V, W-) instead, so it is not the one reported.
    """
    b, a = _pair(before, after)
    d = np.round(a - b, _NOISE_DECIMALS)
    nonzero = d[d != 0]
    if nonzero.size == 0:
        raise ValueError("Wilcoxon signed-rank test: every paired difference is zero")
    ties = np.unique(np.abs(nonzero)).size < nonzero.size
    correction = False
    if ties and nonzero.size > EXACT_UP_TO:
        method, correction = "approx", True
        name = (f"Wilcoxon signed-rank, two-sided, zeros dropped, normal approximation with tie and continuity "
                f"corrections (exact enumeration of the sign assignments stops at {EXACT_UP_TO} pairs), "
                "scipy.stats.wilcoxon(method=\"approx\", correction=True) (R: wilcox.test(paired = TRUE, "
                "exact = FALSE, correct = TRUE))")
    elif ties:
        method = stats.PermutationMethod(n_resamples=np.inf)
        name = ("Wilcoxon signed-rank, two-sided, zeros dropped, exact conditional on ties "
                "(all sign assignments), scipy.stats.wilcoxon(method=PermutationMethod()) "
                "(R: coin::wilcoxsign_test(distribution = \"exact\"))")
    else:
        method = "exact"
        name = ("Wilcoxon signed-rank, two-sided, zeros dropped, exact, scipy.stats.wilcoxon "
                "(R: wilcox.test(paired = TRUE, exact = TRUE))")
    res = stats.wilcoxon(nonzero, zero_method="wilcox", method=method, correction=correction)
    v = float(stats.rankdata(np.abs(nonzero))[nonzero > 0].sum())
    return TestResult(int(nonzero.size), v, float(res.pvalue), name + "; statistic V, the sum of the positive ranks")


def paired_permutation(before, after) -> TestResult:
    """Exact two-sided paired permutation test of the mean difference ``after - before``.

    Notes
    -----
    Up to :data:`EXACT_UP_TO` pairs every one of the 2**n sign assignments of the differences is enumerated
    (``scipy.stats.permutation_test(permutation_type="samples", n_resamples=inf)``); beyond, :data:`RESAMPLES`
    random assignments with the fixed seed :data:`SEED`, and the method says so. The
    p-value is twice the smaller one-sided tail, which for this symmetric null distribution
    equals the proportion of assignments with ``|mean| >= |observed mean|``. R equivalent:
    enumerate ``expand.grid(rep(list(c(-1, 1)), n))`` and count.
    """
    b, a = _pair(before, after)
    exact = a.size <= EXACT_UP_TO
    res = stats.permutation_test(
        (a, b),
        lambda x, y, axis: np.mean(x - y, axis=axis),
        permutation_type="samples",
        n_resamples=np.inf if exact else RESAMPLES,
        vectorized=True,
        alternative="two-sided",
        random_state=None if exact else np.random.default_rng(SEED),
    )
    how = (f"exact paired permutation test of the mean difference, two-sided, all {2 ** a.size} sign assignments" if exact
           else f"paired permutation test of the mean difference, two-sided, Monte Carlo with {RESAMPLES:,} random sign "
                f"assignments, seed {SEED} (exact enumeration stops at {EXACT_UP_TO} pairs)")
    return TestResult(int(a.size), float(res.statistic), float(res.pvalue), how + ", scipy.stats.permutation_test")


def clopper_pearson(k: int, n: int, confidence: float = 0.95) -> Proportion:
    """Proportion k/n with the exact Clopper-Pearson confidence interval.

    Notes
    -----
    The interval's ends are beta quantiles, ``scipy.stats.beta.ppf(a/2, k, n - k + 1)`` and
    ``beta.ppf(1 - a/2, k + 1, n - k)`` (0 and 1 at k = 0 and k = n), which is how R computes
    ``binom.test(k, n)$conf.int`` (``qbeta``); ``scipy.stats.binomtest(k, n).proportion_ci(method="exact")``
    finds the same ends by root-finding, more slowly.

    Examples
    --------
    >>> p = clopper_pearson(6, 9)
    >>> round(p.ci_low, 4), round(p.ci_high, 4)
    (0.2993, 0.9251)
    """
    _check_counts(k, n, "Clopper-Pearson")
    tail = (1 - confidence) / 2
    low = 0.0 if k == 0 else float(stats.beta.ppf(tail, k, n - k + 1))
    high = 1.0 if k == n else float(stats.beta.ppf(1 - tail, k + 1, n - k))
    return Proportion(k, n, k / n, low, high,
                      f"exact Clopper-Pearson {confidence:.0%} CI, scipy.stats.beta quantiles "
                      "(R: binom.test(k, n)$conf.int)")


def wilson(k: int, n: int, confidence: float = 0.95) -> Proportion:
    """Proportion k/n with the Wilson score confidence interval (no continuity correction).

    Notes
    -----
    ``statsmodels.stats.proportion.proportion_confint(k, n, method="wilson")``; R:
    ``prop.test(k, n, correct = FALSE)$conf.int``.

    Examples
    --------
    >>> p = wilson(13, 14)
    >>> round(p.ci_low, 4), round(p.ci_high, 4)
    (0.6853, 0.9873)
    """
    _check_counts(k, n, "Wilson")
    low, high = proportion_confint(k, n, alpha=1 - confidence, method="wilson")
    return Proportion(k, n, k / n, float(low), float(high),
                      f"Wilson score {confidence:.0%} CI without continuity correction, statsmodels "
                      "proportion_confint(method='wilson') (R: prop.test(k, n, correct = FALSE)$conf.int)")


def grim(printed_mean, n: int, granularity, rule: str = "half_up") -> Fraction | None:
    """GRIM test: the attainable mean of ``n`` values on a grid of ``granularity`` closest to a printed mean.

    Parameters
    ----------
    printed_mean : reanalysis.rounding.Printed
        The printed mean.
    n : int
        The number of values averaged.
    granularity : Decimal or Fraction
        The step of the underlying values (1 for whole years, 0.01 for creatinine in mg/dl, 1/3 for the
        mean of three whole-number items).
    rule : str
        The rounding rule the printed mean is read under (:data:`reanalysis.rounding.RULES`); ``"half_either"``
        is scrutiny's default, ``rounding = "up_or_down"``.

    Returns
    -------
    Fraction or None
        The attainable mean (a multiple of ``granularity / n``) nearest the printed value that
        lies inside its rounding interval, or None when no attainable mean does.

    Notes
    -----
    Brown and Heathers (2017). Sums of ``n`` values on the grid are multiples of the step, so the
    mean is ``k * granularity / n`` for a whole ``k``. Exact rational arithmetic; R equivalent:
    ``scrutiny::grim(x = "36.4", n = 14, items = 1, rounding = "up")`` for a granularity of 1; scrutiny's
    default rounding (``"up_or_down"``) also accepts a mean that rounds to the printed value half down.

    Examples
    --------
    >>> from reanalysis.rounding import parse
    >>> grim(parse("5.19"), 28, Decimal(1)) is None
    True
    """
    if not isinstance(n, int) or n < 1:
        raise ValueError(f"GRIM needs a whole number of values n >= 1, got {n!r}")
    if granularity <= 0:
        raise ValueError(f"GRIM needs a positive granularity, got {granularity}")
    step = Fraction(granularity) / n
    centre = Fraction(printed_mean.value) / step
    iv = printed_mean.interval(rule)
    # The attainable means nearest the printed value are the grid points either side of it; any
    # other point is farther and so inside the interval only if one of these two is.
    candidates = sorted((Fraction(k) * step for k in {math.floor(centre), math.ceil(centre)}),
                        key=lambda m: (abs(m - Fraction(printed_mean.value)), m))
    for mean in candidates:
        if iv.contains(mean):
            return mean
    return None


def _check_counts(k, n, what: str) -> None:
    if not (isinstance(k, int) and isinstance(n, int)) or n < 1 or not 0 <= k <= n:
        raise ValueError(f"{what} interval needs whole counts 0 <= k <= n, n >= 1; got k={k!r}, n={n!r}")


def _finite(values, what: str) -> np.ndarray:
    x = np.asarray(values, dtype=float)
    if x.ndim != 1 or x.size == 0:
        raise ValueError(f"{what}: needs a non-empty one-dimensional sample")
    if not np.all(np.isfinite(x)):
        raise ValueError(f"{what}: the sample has missing or infinite values; choose the subset explicitly")
    return x


def _pair(before, after) -> tuple[np.ndarray, np.ndarray]:
    b, a = _finite(before, "paired test"), _finite(after, "paired test")
    if b.size != a.size:
        raise ValueError(f"paired test: {b.size} values before but {a.size} after")
    if b.size < 2:
        raise ValueError("paired test: needs at least two pairs")
    return b, a


GRIMMER_ENUMERATION = 200_000  # depth-first nodes the exact enumeration may visit before the bound alone decides


def grimmer(mean, sd, n: int, rule: str = "half_up"):
    """GRIMMER test for integer data: a sample of ``n`` whole numbers that gives both printed values.

    Parameters
    ----------
    mean, sd : reanalysis.rounding.Printed
        The printed mean and SD (sample SD, n - 1 denominator).
    n : int
    rule : str
        The rounding rule both are read under (``"nearest"``: any tie rule).

    Returns
    -------
    tuple of (int, int) or None
        A whole sum ``S`` and sum of squares ``Q`` of some ``n`` integers whose mean ``S / n`` and SD
        ``sqrt((Q - S**2 / n) / (n - 1))`` round half up to the printed values; None when no ``n``
        integers do.

    Notes
    -----
    Anaya (2016), sharpened: scrutiny's and rsprite2's GRIMMER accept any ``Q`` of the parity of ``S``, and so
    pairs no integer sample has (0.5 / 0.0 with n = 8). Here ``Q`` must also be at least the smallest sum of
    squares of ``n`` integers with sum ``S``, ``(n - r) q**2 + r (q + 1)**2`` with ``q = S // n``,
    ``r = S - n q`` (:func:`reanalysis.reconstruct.sum_of_squares_bounds`), and a pair that passes is then
    confirmed by enumerating integer samples (:func:`reanalysis.reconstruct.reconstruct`; no value can lie
    farther than ``SD (n - 1) / sqrt(n)`` from the mean), within :data:`GRIMMER_ENUMERATION` nodes; past that
    the bound alone decides. Exact rational arithmetic. R: ``scrutiny::grimmer(x = "3.3", sd = "2.8", n = 8,
    rounding = "up")`` without the sharpening; scrutiny's default rounding (``"up_or_down"``) also accepts
    values rounded half down.

    Examples
    --------
    >>> from reanalysis.rounding import parse
    >>> grimmer(parse("22.0"), parse("2.1"), 8)
    (176, 3902)
    >>> grimmer(parse("0.5"), parse("0.0"), 8) is None  # scrutiny accepts it: S = 4 and Q = 2 share a parity
    True
    """
    if not isinstance(n, int) or n < 2:
        raise ValueError(f"GRIMMER needs a whole n >= 2, got {n!r}")
    m_iv, s_iv = mean.interval(rule), sd.interval(rule)
    found = _grimmer_bound(m_iv, s_iv, n)
    if found is None:
        return None
    reach = Fraction(s_iv.high) * (n - 1) / math.sqrt(n) if s_iv.high is not None else None
    if reach is None:
        return found
    low, high = math.floor(Fraction(m_iv.low) - reach) - 1, math.ceil(Fraction(m_iv.high) + reach) + 1
    rebuilt = reconstruct.reconstruct(n, m_iv, s_iv, low, high, budget=GRIMMER_ENUMERATION, keep=1)
    if rebuilt.exists is False:
        return None
    if not rebuilt.samples:
        return found
    sample = rebuilt.samples[0]
    return sum(sample), sum(x * x for x in sample)


def _grimmer_bound(m_iv, s_iv, n: int):
    """The first whole sum S and sum of squares Q that pass GRIMMER's parity and smallest-Q bounds."""
    sums = range(math.floor(Fraction(m_iv.low) * n), math.ceil(Fraction(m_iv.high) * n) + 1)
    for total in sums:
        if not m_iv.contains(Fraction(total, n)):
            continue
        base = Fraction(total * total, n)
        smallest = reconstruct.sum_of_squares_bounds(n, total)[0]
        low = (n - 1) * Fraction(s_iv.low) ** 2 + base
        high = (n - 1) * Fraction(s_iv.high) ** 2 + base
        for q in range(max(math.floor(low), smallest), math.ceil(high) + 1):
            if (q - total) % 2 == 0:
                var = (q - base) / (n - 1)
                if s_iv.contains(Root(var)):  # the SD compared through its square
                    return total, q
    return None


def debit(mean, sd, n: int, rule: str = "half_up") -> int | None:
    """DEBIT test for binary data: a whole count of ones that gives both a printed mean and a printed SD.

    Parameters
    ----------
    mean, sd : reanalysis.rounding.Printed
        The printed mean (a proportion, 0 to 1) and sample SD (n - 1 denominator) of a 0/1 variable.
    n : int
    rule : str
        The rounding rule both are read under (``"nearest"``: any tie rule).

    Returns
    -------
    int or None
        The smallest ``k`` in 0..n whose mean ``k / n`` and SD ``sqrt(k (n - k) / (n (n - 1)))`` round half
        up to the printed values; None when no ``k`` does.

    Notes
    -----
    Heathers and Brown (2019). Exact rational arithmetic, the SD compared through its square. R:
    ``scrutiny::debit(x = "0.35", sd = "0.49", n = 20)`` is close but not equal: it takes the SD implied by
    the ends of the printed mean's interval, not by a whole count, and by default accepts rounding either way.

    Examples
    --------
    >>> from reanalysis.rounding import parse
    >>> debit(parse("0.35"), parse("0.49"), 20)
    7
    >>> debit(parse("0.35"), parse("0.45"), 20) is None
    True
    """
    if not isinstance(n, int) or n < 2:
        raise ValueError(f"DEBIT needs a whole n >= 2, got {n!r}")
    m_iv, s_iv = mean.interval(rule), sd.interval(rule)
    for k in range(max(0, math.floor(Fraction(m_iv.low) * n)), min(n, math.ceil(Fraction(m_iv.high) * n)) + 1):
        if m_iv.contains(Fraction(k, n)) and s_iv.contains(Root(Fraction(k * (n - k), n * (n - 1)))):
            return k
    return None


def sd_limits(mean, n: int, low=None, high=None, floor=None) -> tuple[float, float]:
    """The smallest and largest sample SD that ``n`` values can have, given a printed mean and,
    where printed, their range or a lower limit (such as 0 for a concentration).

    Every printed value may be anywhere in its half-up rounding interval, and the limits hold
    for all of them: the largest SD is the Bhatia-Davis bound ``sqrt((b - m)(m - a) n / (n - 1))``
    maximised over the intervals (with only a lower limit ``a``: ``(m - a) sqrt(n)``); the
    smallest is 0 without a range, and ``(b - a) / sqrt(2 (n - 1))`` with one (the two extremes
    are observed).
    """
    m = mean.interval("half_up")
    m_lo, m_hi = float(m.low), float(m.high)
    if (low is None) != (high is None):
        raise ValueError("sd_limits: a printed range needs both its ends")
    if low is not None:
        a, b = float(low.interval("half_up").low), float(high.interval("half_up").high)
        a_hi, b_lo = float(low.interval("half_up").high), float(high.interval("half_up").low)
        centre = min(max((a + b) / 2, m_lo), m_hi)
        largest = math.sqrt(max(0.0, (b - centre) * (centre - a)) * n / (n - 1))
        smallest = max(0.0, b_lo - a_hi) / math.sqrt(2 * (n - 1))
        return smallest, largest
    if floor is not None:
        return 0.0, max(0.0, m_hi - floor) * math.sqrt(n)
    raise ValueError("sd_limits needs a printed range or a lower limit")


def mark_correlations(before_mean, before_sd, after_mean, after_sd, n: int, p_at_least: float, p_below: float,
                      steps: int = 2001):
    """The within-patient correlations r for which a paired t-test on printed summaries can give
    a p-value in ``[p_at_least, p_below)``.

    Parameters
    ----------
    before_mean, before_sd, after_mean, after_sd : reanalysis.rounding.Printed
    n : int
        Pairs (df = n - 1).
    p_at_least, p_below : float
        The p-value range a significance mark states (``**``: 0 to 0.01; ``*``: 0.01 to 0.05;
        no mark: 0.05 to 1).
    steps : int
        Grid of r over [-1, 1] (0.001 apart by default).

    Returns
    -------
    tuple of (float, float) or None
        The smallest and largest r on the grid for which some means and SDs inside their
        rounding intervals give such a p-value; None when no r does.

    Notes
    -----
    ``t = (m1 - m0) / sqrt((s0**2 + s1**2 - 2 r s0 s1) / n)``, two-sided p from
    ``scipy.stats.t.sf`` (R: ``2 * pt(-abs(t), n - 1)``). For each r the attainable |t| form an
    interval, from the smallest |m1 - m0| over the largest variance of the difference to the
    largest over the smallest; the variance is extreme at corners of the SD box or where
    ``s0 = r s1`` or ``s1 = r s0``. A Wilcoxon signed-rank test cannot be checked this way: it
    needs the individual differences, which summaries do not give.
    """
    ivs = [p.interval("half_up") for p in (before_mean, before_sd, after_mean, after_sd)]
    (m0a, m0b), (s0a, s0b), (m1a, m1b), (s1a, s1b) = [(float(i.low), float(i.high)) for i in ivs]
    s0a, s1a = max(s0a, 0.0), max(s1a, 0.0)
    d_lo, d_hi = m1a - m0b, m1b - m0a
    d_max = max(abs(d_lo), abs(d_hi))
    d_min = 0.0 if d_lo <= 0 <= d_hi else min(abs(d_lo), abs(d_hi))
    df = n - 1
    r = np.linspace(-1, 1, steps)
    clip0, clip1 = (lambda v: np.clip(v, s0a, s0b)), (lambda v: np.clip(v, s1a, s1b))
    points = [(np.full_like(r, x), np.full_like(r, y)) for x in (s0a, s0b) for y in (s1a, s1b)]
    points += [(clip0(r * y), np.full_like(r, y)) for y in (s1a, s1b)] + [(np.full_like(r, x), clip1(r * x)) for x in (s0a, s0b)]
    variances = np.array([x * x + y * y - 2 * r * x * y for x, y in points])
    v_min, v_max = np.maximum(variances.min(axis=0), 0.0), variances.max(axis=0)
    # d_max > 0 and v_max > 0 always (the boxes have width); v_min is 0 where r = 1 meets s0 = s1,
    # and there t is infinite and p is 0.
    with np.errstate(divide="ignore"):
        t_max = d_max / np.sqrt(v_min / n)
    t_min = d_min / np.sqrt(v_max / n)
    p_min, p_max = 2 * stats.t.sf(t_max, df), 2 * stats.t.sf(t_min, df)
    found = r[(p_min < p_below) & (p_max >= p_at_least)]
    if found.size == 0:
        return None
    return round(float(found.min()), 3), round(float(found.max()), 3)


@dataclass(frozen=True)
class Interval2:
    """An estimate comparing two proportions with its 95% CI and the method that made it."""

    estimate: float
    ci_low: float
    ci_high: float
    method: str


@dataclass(frozen=True)
class Pooled:
    """A pooled risk ratio over trials: fixed effect, three random-effects estimators of tau^2 and the
    Hartung-Knapp-Sidik-Jonkman CI, with heterogeneity."""

    k: int
    fixed: Interval2
    dersimonian_laird: Interval2
    paule_mandel: Interval2
    reml: Interval2
    hartung_knapp: Interval2
    q: float
    i2: float
    tau2_dl: float
    tau2_pm: float
    tau2_reml: float

    @property
    def estimates(self) -> tuple:
        """The pooled estimates in the order a table or forest plot shows them."""
        return self.fixed, self.dersimonian_laird, self.paule_mandel, self.reml, self.hartung_knapp


TWO_BY_TWO = ("pearson", "yates", "fisher", "wald_z")
_TWO_BY_TWO_NAMES = {
    "pearson": "Pearson chi-square without continuity correction, scipy.stats.chi2_contingency(correction=False) "
               "(R: chisq.test(correct = FALSE)); equals the pooled two-proportion z-test",
    "yates": "Pearson chi-square with Yates' continuity correction, scipy.stats.chi2_contingency(correction=True) "
             "(R: chisq.test(correct = TRUE))",
    "fisher": "Fisher's exact test, two-sided, scipy.stats.fisher_exact (R: fisher.test); statistic the conditional "
              "MLE odds ratio, scipy.stats.contingency.odds_ratio(kind='conditional') (R: fisher.test()$estimate)",
    "wald_z": "unpooled (Wald) z-test of the difference, statsmodels test_proportions_2indep(method='wald')",
}


def two_by_two(k1: int, n1: int, k2: int, n2: int, method: str) -> TestResult:
    """Two-sided test of two independent proportions k1/n1 against k2/n2.

    Parameters
    ----------
    method : {"pearson", "yates", "fisher", "wald_z"}

    Notes
    -----
    ``pearson`` is ``chisq.test(matrix, correct = FALSE)`` in R, ``yates`` ``correct = TRUE``,
    ``fisher`` ``fisher.test``, whose statistic is R's ``$estimate``, the conditional MLE odds ratio (not
    scipy's ``fisher_exact`` statistic, the sample odds ratio); ``wald_z`` uses the unpooled variance (R: ``prop.test`` has no
    equivalent; it is ``2 * pnorm(-abs(d / se))``). The chi-square tests refuse a table with an
    empty column, and ``wald_z`` one whose proportions are both 0 or 1 (no variance): a ValueError,
    never a NaN p-value.
    """
    for k, n in ((k1, n1), (k2, n2)):
        _check_counts(k, n, "two-by-two test")
    table = np.array([[k1, n1 - k1], [k2, n2 - k2]])
    if method in ("pearson", "yates"):
        if (table.sum(axis=0) == 0).any():
            raise ValueError("chi-square test: a column of the 2x2 table is empty")
        res = stats.chi2_contingency(table, correction=method == "yates")
        statistic, p = res.statistic, res.pvalue
    elif method == "fisher":
        p = stats.fisher_exact(table).pvalue
        if (table.sum(axis=0) == 0).any():  # one column: a single table is possible and the odds ratio undefined
            return TestResult(n1 + n2, math.nan, float(p), _TWO_BY_TWO_NAMES[method] + "; the odds ratio is "
                              "undefined, a column of the 2x2 table being empty (R's fisher.test reports 0)")
        statistic = odds_ratio(table, kind="conditional").statistic  # R's fisher.test()$estimate
    elif method == "wald_z":
        if k1 in (0, n1) and k2 in (0, n2):
            raise ValueError("unpooled z-test: both proportions are 0 or 1, so their difference has no variance")
        res = test_proportions_2indep(k1, n1, k2, n2, method="wald")
        statistic, p = res.statistic, res.pvalue
    else:
        raise ValueError(f"unknown 2x2 test {method!r}; known: {', '.join(TWO_BY_TWO)}")
    return TestResult(n1 + n2, float(statistic), float(p), _TWO_BY_TWO_NAMES[method])


def risk_difference(k1: int, n1: int, k2: int, n2: int, method: str) -> Interval2:
    """Difference k1/n1 - k2/n2 with a 95% CI: ``wald`` or ``newcomb`` (Newcombe's hybrid score).

    Notes
    -----
    statsmodels ``confint_proportions_2indep(compare="diff", method=...)``; R:
    ``prop.test(correct = FALSE)$conf.int`` for Wald-type, ``PropCIs::diffscoreci`` for Newcombe-type.
    A Wald end beyond -1 or 1 is clipped there, as ``prop.test`` does, and the method says so.
    """
    if method not in ("wald", "newcomb"):
        raise ValueError(f"unknown risk-difference CI {method!r}; known: wald, newcomb")
    low, high = confint_proportions_2indep(k1, n1, k2, n2, method=method, compare="diff")
    name = {"wald": "Wald", "newcomb": "Newcombe hybrid score"}[method]
    clipped = max(-1.0, float(low)), min(1.0, float(high))
    note = ", clipped to [-1, 1] as R's prop.test" if clipped != (float(low), float(high)) else ""
    return Interval2(k1 / n1 - k2 / n2, *clipped,
                     f"risk difference with {name} 95% CI{note}, statsmodels confint_proportions_2indep(method='{method}')")


def risk_ratio(k1: int, n1: int, k2: int, n2: int) -> Interval2:
    """Risk ratio (k1/n1) / (k2/n2) with the log-scale (Katz) 95% CI.

    Notes
    -----
    statsmodels ``confint_proportions_2indep(compare="ratio", method="log")``; R:
    ``exp(log(rr) + c(-1, 1) * qnorm(0.975) * sqrt(1/k1 - 1/n1 + 1/k2 - 1/n2))``. A trial with a zero
    cell gets 1/2 added to each of its four cells first (:func:`zero_cell_corrected`).
    """
    a, m, c, p, corrected = zero_cell_corrected(k1, n1, k2, n2)
    if corrected:
        log_rr, se = math.log((a / m) / (c / p)), math.sqrt(1 / a - 1 / m + 1 / c - 1 / p)
        half = float(stats.norm.isf(0.025)) * se
        return Interval2(math.exp(log_rr), math.exp(log_rr - half), math.exp(log_rr + half),
                         f"risk ratio with log-scale (Katz) 95% CI, {ZERO_CELL}")
    low, high = confint_proportions_2indep(k1, n1, k2, n2, method="log", compare="ratio")
    return Interval2((k1 / n1) / (k2 / n2), float(low), float(high),
                     "risk ratio with log-scale (Katz) 95% CI, statsmodels confint_proportions_2indep(method='log')")


ZERO_CELL = "1/2 added to every cell of a trial with a zero cell (R: metafor::escalc(add = 1/2, to = \"only0\"))"


def zero_cell_corrected(k1: int, n1: int, k2: int, n2: int) -> tuple:
    """A trial's counts ``(k1, n1, k2, n2, corrected)``: when any of its four cells (k1, n1 - k1, k2, n2 - k2)
    is 0, 1/2 is added to each cell, so each n grows by 1, as metafor's ``escalc`` does by default."""
    if 0 in (k1, n1 - k1, k2, n2 - k2):
        return k1 + 0.5, n1 + 1, k2 + 0.5, n2 + 1, True
    return k1, n1, k2, n2, False


def pool_risk_ratios(trials) -> Pooled:
    """Pool (k1, n1, k2, n2) trials' risk ratios on the log scale.

    Notes
    -----
    ``statsmodels.stats.meta_analysis.effectsize_2proportions(statistic="risk-ratio")`` and
    ``combine_effects`` with inverse-variance fixed effect and Paule-Mandel (``method_re="pm"``)
    random effects; R: ``metafor::rma(measure = "RR", method = "FE" / "PM")``. DerSimonian-Laird is
    :func:`dersimonian_laird`, because statsmodels' ``method_re="dl"`` does not truncate tau^2 at 0;
    REML is :func:`reml_tau2`, which statsmodels lacks, with the normal CI and the Hartung-Knapp-Sidik-
    Jonkman CI (:func:`random_effects`; R: ``rma(method = "REML")`` and ``rma(method = "REML", test = "knha")``).
    I^2 is ``max(0, (Q - (k - 1)) / Q)``, as metafor's. A trial with a zero cell gets 1/2 added to each
    of its cells first (:func:`zero_cell_corrected`), and every method says so.
    """
    counts = [zero_cell_corrected(*t) for t in trials]
    k1, n1, k2, n2 = (np.array(x, dtype=float) for x in list(zip(*counts))[:4])
    eff, var = effectsize_2proportions(k1, n1, k2, n2, statistic="risk-ratio")
    note = f"; {ZERO_CELL}" if any(c[4] for c in counts) else ""
    pm = combine_effects(eff, var, method_re="pm")  # its fixed-effect row and Q do not depend on the method

    def row(res, name, label):
        r = res.summary_frame().loc[name]
        return Interval2(float(np.exp(r["eff"])), float(np.exp(r["ci_low"])), float(np.exp(r["ci_upp"])), label)

    dl = dersimonian_laird(eff, var)
    tau2_reml = reml_tau2(eff, var)
    reml, hk = random_effects(eff, var, tau2_reml, knapp_hartung=False), random_effects(eff, var, tau2_reml,
                                                                                        knapp_hartung=True)
    q, df = float(pm.q), len(trials) - 1
    return Pooled(len(trials), row(pm, "fixed effect", "fixed effect, inverse variance" + note),
                  Interval2(*(float(np.exp(x)) for x in dl[:3]), dl[4] + note),
                  row(pm, "random effect", "random effects, Paule-Mandel" + note),
                  Interval2(*(float(np.exp(x)) for x in reml), "random effects, REML" + note),
                  Interval2(*(float(np.exp(x)) for x in hk), "random effects, REML, Hartung-Knapp-Sidik-Jonkman "
                            f"t CI on {df} df" + note),
                  q, max(0.0, (q - df) / q) if q > 0 else 0.0, dl[3], float(pm.tau2), tau2_reml)


def reml_tau2(effect, variance) -> float:
    """The restricted maximum-likelihood (REML) tau^2 of a random-effects meta-analysis, at least 0.

    Notes
    -----
    The root of the REML score ``sum(w**2 (y - mu)**2) - sum(w) + sum(w**2) / sum(w)``, with
    ``w = 1 / (v + tau2)`` and ``mu`` the ``w``-weighted mean, found by ``scipy.optimize.brentq`` to
    1e-15; 0 when the score is not positive at 0. statsmodels has no REML estimator. R:
    ``metafor::rma(yi, vi, method = "REML")$tau2``, which reaches the same root by Fisher scoring.
    """
    y, v = np.asarray(effect, dtype=float), np.asarray(variance, dtype=float)

    def score(tau2: float) -> float:
        w = 1 / (v + tau2)
        mu = (w * y).sum() / w.sum()
        return float((w ** 2 * (y - mu) ** 2).sum() - w.sum() + (w ** 2).sum() / w.sum())

    if score(0.0) <= 0:
        return 0.0
    upper = max(float(np.var(y, ddof=0)), 1e-8)
    while score(upper) > 0:  # the score is negative once tau2 exceeds the spread of the effects
        upper *= 2
    return float(optimize.brentq(score, 0.0, upper, xtol=1e-15, rtol=4 * np.finfo(float).eps))


def random_effects(effect, variance, tau2: float, knapp_hartung: bool) -> tuple:
    """The random-effects pooled estimate for a given tau^2 with its 95% CI: ``(estimate, ci_low, ci_high)``.

    Notes
    -----
    Weights ``w = 1 / (v + tau2)``. Normal CI ``mu +- z sqrt(1 / sum(w))`` (R: ``metafor::rma(yi, vi,
    tau2 = tau2)``), or, with ``knapp_hartung``, the Hartung-Knapp-Sidik-Jonkman CI
    ``mu +- t(k - 1) sqrt(sum(w (y - mu)**2) / ((k - 1) sum(w)))``, its scale not truncated at 1 (R:
    ``rma(..., test = "knha")``; statsmodels' ``combine_effects`` "random effect wls" row, which it
    computes only with its own tau^2).
    """
    y, v = np.asarray(effect, dtype=float), np.asarray(variance, dtype=float)
    w = 1 / (v + tau2)
    mu = float((w * y).sum() / w.sum())
    if knapp_hartung:
        df = y.size - 1
        half = float(stats.t.isf(0.025, df) * np.sqrt((w * (y - mu) ** 2).sum() / (df * w.sum())))
    else:
        half = float(stats.norm.isf(0.025) / np.sqrt(w.sum()))
    return mu, mu - half, mu + half


def dersimonian_laird(effect, variance) -> tuple:
    """Random-effects pooled estimate with the DerSimonian-Laird tau^2, truncated at 0.

    Parameters
    ----------
    effect, variance : array_like
        Each trial's effect (a log risk ratio) and its variance.

    Returns
    -------
    tuple
        ``(estimate, ci_low, ci_high, tau2, method)``, the first three on the effect's scale (95% normal CI).

    Notes
    -----
    ``tau2 = max(0, (Q - (k - 1)) / (sum(w) - sum(w**2) / sum(w)))`` with ``w = 1 / variance``;
    the estimate weights each trial by ``1 / (variance + tau2)``. R: ``metafor::rma(yi, vi, method =
    "DL")``, which truncates too; statsmodels' ``combine_effects(method_re="dl")`` does not, so when
    trials agree more than chance allows (Q < k - 1) it gives a negative tau^2 and too narrow a CI.
    """
    eff, var = np.asarray(effect, dtype=float), np.asarray(variance, dtype=float)
    w = 1 / var
    fixed = (w * eff).sum() / w.sum()
    q = float((w * (eff - fixed) ** 2).sum())
    raw = (q - (len(eff) - 1)) / (w.sum() - (w ** 2).sum() / w.sum())
    tau2 = max(0.0, float(raw))
    method = "random effects, DerSimonian-Laird" + (
        f" (tau² truncated at 0: Q = {q:.2f} < k - 1 = {len(eff) - 1})" if raw < 0 else "")
    return *random_effects(eff, var, tau2, knapp_hartung=False), tau2, method
