"""Tests and estimates that small clinical studies print, computed as R computes them.

Pure functions: samples or counts in, a frozen result record out, with built-in floats and the
exact method that produced them. scipy and statsmodels compute the statistics; two pieces are
written here because no library reproduces R: Fisher's exact test beyond 2x2 (an enumeration
of the tables with the observed margins) and Spearman's p-value without ties (R's AS 89).
Paired differences are ``after - before``; a two-sample difference is ``mean(x) - mean(y)``.
Alternatives are named as in scipy, ``"two-sided"``, ``"less"`` and ``"greater"`` (R:
``"two.sided"``, ...).
"""

from __future__ import annotations

import itertools
import math
import sys
from collections import Counter
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

import numpy as np
from scipy import stats
from scipy.stats.contingency import odds_ratio
from statsmodels.stats.contingency_tables import mcnemar as _sm_mcnemar


ALTERNATIVES = ("two-sided", "less", "greater")
# R's FEXACT adds TOL to the observed table's log probability, so a table counts as at least as
# extreme when its probability is at most exp(TOL) times the observed one; the enumeration compares
# exactly against 1 + TOL, which differs from exp(TOL) by 6e-14 relative.
_FEXACT_TOL = Fraction("3.45254e-7")
_MAX_TABLES = 1_000_000
# AS 89's Edgeworth coefficients, as in R's src/library/stats/src/prho.c.
_AS89 = (0.2274, 0.2531, 0.1745, 0.0758, 0.1033, 0.3932, 0.0879, 0.0151, 0.0072, 0.0831, 0.0131, 4.6e-4)


@dataclass(frozen=True)
class TTest:
    """A t-test: the estimate (a mean or a difference of means) with its CI, t, df and p.

    A one-sided test has a one-sided CI, with ``-inf`` or ``inf`` as its open end, as R's.
    """

    estimate: float
    ci_low: float
    ci_high: float
    statistic: float
    df: float
    p_value: float
    alternative: str
    method: str


@dataclass(frozen=True)
class HypothesisTest:
    """A test reduced to its statistic, its degrees of freedom and its p-value.

    ``statistic`` is None where R prints none (Fisher's exact test), ``df`` where the test has none.
    """

    statistic: float | None
    df: float | None
    p_value: float
    method: str


@dataclass(frozen=True)
class Correlation:
    """A correlation coefficient with its test and, where R gives one, its CI.

    ``statistic`` is Pearson's t (with ``df = n - 2``) or Spearman's S (``df`` None).
    """

    estimate: float
    statistic: float
    df: float | None
    p_value: float
    ci_low: float | None
    ci_high: float | None
    alternative: str
    method: str


@dataclass(frozen=True)
class OddsRatio:
    """An odds ratio of ``[[a, b], [c, d]]``, the odds a : b over c : d, with its CI."""

    estimate: float
    ci_low: float
    ci_high: float
    method: str


def one_sample_t(x, mu: float = 0.0, alternative: str = "two-sided", confidence: float = 0.95) -> TTest:
    """One-sample t-test of the mean against ``mu``, with the t interval of the mean.

    Raises
    ------
    ValueError
        For fewer than two values, or data R calls "essentially constant" (standard error below
        ``10 * eps * |mean|``, or zero): R's ``t.test`` stops there too, or returns NaN when the
        mean is 0 as well.

    Notes
    -----
    ``scipy.stats.ttest_1samp(x, mu, alternative=...)`` and its ``confidence_interval``. R:
    ``t.test(x, mu = mu, alternative = ..., conf.level = confidence)``.

    Examples
    --------
    >>> round(one_sample_t([5.1, 4.9, 5.6, 5.3], mu=5).p_value, 4)
    0.2289
    """
    a = _sample(x, "one-sample t-test", 2)
    _check_spread(np.std(a, ddof=1) / math.sqrt(a.size), abs(np.mean(a)), "one-sample t-test")
    res = stats.ttest_1samp(a, mu, alternative=_alternative(alternative))
    return _t_record(res, float(np.mean(a)), confidence, alternative,
                     f"one-sample t-test, {alternative}, mu = {mu:g} (scipy.stats.ttest_1samp; "
                     f"R: t.test(x, mu = {mu:g}{_r_options(alternative, confidence)}))")


def paired_t(before, after, mu: float = 0.0, alternative: str = "two-sided", confidence: float = 0.95) -> TTest:
    """Paired t-test of the mean difference ``after - before`` against ``mu``.

    Raises
    ------
    ValueError
        For unequal lengths, fewer than two pairs, or differences R calls "essentially constant".

    Notes
    -----
    The one-sample test of the differences, ``scipy.stats.ttest_1samp(after - before, mu)``,
    which is what R does: ``t.test(after, before, paired = TRUE, mu = mu)``.

    Examples
    --------
    >>> round(paired_t([3.0, 4.0, 5.0], [3.5, 4.1, 5.9]).statistic, 4)
    2.1651
    """
    b, a = _sample(before, "paired t-test", 2), _sample(after, "paired t-test", 2)
    if a.size != b.size:
        raise ValueError(f"paired t-test: {b.size} values before but {a.size} after")
    d = a - b
    _check_spread(np.std(d, ddof=1) / math.sqrt(d.size), abs(np.mean(d)), "paired t-test")
    res = stats.ttest_1samp(d, mu, alternative=_alternative(alternative))
    return _t_record(res, float(np.mean(d)), confidence, alternative,
                     f"paired t-test of after - before, {alternative}, mu = {mu:g} (scipy.stats.ttest_1samp "
                     f"of the differences; R: t.test(after, before, paired = TRUE, mu = {mu:g}"
                     f"{_r_options(alternative, confidence)}))")


def two_sample_t(x, y, *, equal_var: bool, alternative: str = "two-sided", confidence: float = 0.95) -> TTest:
    """Two-sample t-test of ``mean(x) - mean(y)``: Student's (pooled variance) or Welch's.

    Parameters
    ----------
    equal_var : bool
        True for Student's test (R: ``var.equal = TRUE``), False for Welch's (R's default);
        required, so the choice is always explicit.

    Raises
    ------
    ValueError
        For a group with fewer than two values (R's Student test accepts one group of one; this
        function does not), or data R calls "essentially constant".

    Notes
    -----
    ``scipy.stats.ttest_ind(x, y, equal_var=...)`` and its ``confidence_interval``; Welch's df is
    the Welch-Satterthwaite value. R: ``t.test(x, y, var.equal = ...)``.

    Examples
    --------
    >>> round(two_sample_t([1.0, 2.0, 3.0], [4.0, 5.0, 7.0], equal_var=True).df)
    4
    """
    what = "Student two-sample t-test" if equal_var else "Welch two-sample t-test"
    a, b = _sample(x, what, 2), _sample(y, what, 2)
    if equal_var:
        pooled = ((a.size - 1) * np.var(a, ddof=1) + (b.size - 1) * np.var(b, ddof=1)) / (a.size + b.size - 2)
        stderr = math.sqrt(pooled * (1 / a.size + 1 / b.size))
    else:
        stderr = math.sqrt(np.var(a, ddof=1) / a.size + np.var(b, ddof=1) / b.size)
    _check_spread(stderr, max(abs(np.mean(a)), abs(np.mean(b))), what)
    res = stats.ttest_ind(a, b, equal_var=equal_var, alternative=_alternative(alternative))
    return _t_record(res, float(np.mean(a) - np.mean(b)), confidence, alternative,
                     f"{what}, {alternative} (scipy.stats.ttest_ind, equal_var={equal_var}; "
                     f"R: t.test(x, y{', var.equal = TRUE' if equal_var else ''}"
                     f"{_r_options(alternative, confidence)}))")


def wilcoxon_rank_sum(x, y, alternative: str = "two-sided") -> HypothesisTest:
    """Wilcoxon rank-sum (Mann-Whitney) test with R's W, the U statistic of ``x``.

    Notes
    -----
    As R's ``wilcox.test(x, y, correct = TRUE)`` with its default ``exact = NULL``: the exact
    null distribution when there are no ties and both groups have fewer than 50 values
    (``scipy.stats.mannwhitneyu(method="exact")``), otherwise the normal approximation with the
    tie-corrected variance and a continuity correction of 1/2 (``method="asymptotic",
    use_continuity=True``). R gives no estimate or CI unless asked (``conf.int = TRUE``), and
    neither does this function.

    Examples
    --------
    >>> wilcoxon_rank_sum([1.1, 2.3, 3.5], [4.2, 5.0, 6.7, 7.1]).p_value
    0.05714285714285714
    """
    a, b = _sample(x, "rank-sum test", 1), _sample(y, "rank-sum test", 1)
    ties = np.unique(np.concatenate([a, b])).size < a.size + b.size
    exact = not ties and a.size < 50 and b.size < 50
    res = stats.mannwhitneyu(a, b, use_continuity=True, alternative=_alternative(alternative),
                             method="exact" if exact else "asymptotic")
    how = ("exact" if exact else
           f"normal approximation with continuity correction ({'ties' if ties else 'a group of 50 or more'})")
    return HypothesisTest(float(res.statistic), None, float(res.pvalue),
                f"Wilcoxon rank-sum test, {alternative}, {how} (scipy.stats.mannwhitneyu; "
                f"R: wilcox.test(x, y{_r_options(alternative)}))")


def mcnemar(table, *, correct: bool) -> HypothesisTest:
    """McNemar's chi-square test of a paired 2x2 table (df = 1).

    Parameters
    ----------
    table : array_like
        ``[[a, b], [c, d]]``: the discordant pairs are ``b`` and ``c``.
    correct : bool
        Continuity correction, ``(|b - c| - 1)**2 / (b + c)`` (R's default) instead of
        ``(b - c)**2 / (b + c)``; required, so the choice is always explicit.

    Raises
    ------
    ValueError
        When there are no discordant pairs (R returns NaN).

    Notes
    -----
    ``statsmodels.stats.contingency_tables.mcnemar(exact=False)``. As in R, the correction is
    not applied when ``b == c`` (the statistic is 0 and p = 1), where statsmodels would give
    ``1 / (b + c)``. R: ``mcnemar.test(table, correct = ...)``.

    Examples
    --------
    >>> mcnemar([[25, 11], [4, 30]], correct=True).statistic
    2.4
    """
    t = _table(table, "McNemar test", square2=True)
    b, c = t[0, 1], t[1, 0]
    if b + c == 0:
        raise ValueError("McNemar test: there are no discordant pairs (both off-diagonal cells are 0)")
    res = _sm_mcnemar(t, exact=False, correction=bool(correct and b != c))
    return HypothesisTest(float(res.statistic), 1.0, float(res.pvalue),
                f"McNemar chi-square test {'with' if correct else 'without'} continuity correction "
                f"(statsmodels mcnemar(exact=False); R: mcnemar.test(table, correct = {str(correct).upper()}))")


def chi_square(table, *, correct: bool) -> HypothesisTest:
    """Pearson's chi-square test of independence in an r x c table.

    Parameters
    ----------
    correct : bool
        Yates' continuity correction, applied to 2x2 tables only, as R does; required, so the
        choice is always explicit (R's default is TRUE).

    Raises
    ------
    ValueError
        When a row or column is empty, so an expected count is 0 (R returns NaN).

    Notes
    -----
    ``scipy.stats.chi2_contingency(table, correction=correct)``, which corrects exactly when
    df = 1, as R: ``chisq.test(table, correct = ...)``. No warning for small expected counts.

    Examples
    --------
    >>> round(chi_square([[12, 5], [6, 14]], correct=False).p_value, 4)
    0.0138
    """
    t = _table(table, "chi-square test")
    if (t.sum(axis=0) == 0).any() or (t.sum(axis=1) == 0).any():
        raise ValueError("chi-square test: a row or column of the table is empty, so an expected count is 0")
    res = stats.chi2_contingency(t, correction=correct)
    corrected = correct and t.shape == (2, 2)
    return HypothesisTest(float(res.statistic), float(res.dof), float(res.pvalue),
                f"Pearson chi-square test {'with Yates' if corrected else 'without'} continuity correction "
                f"(scipy.stats.chi2_contingency; R: chisq.test(table, correct = {str(correct).upper()}))")


def fisher_exact(table) -> HypothesisTest:
    """Fisher's exact test of independence in an r x c table, two-sided.

    Notes
    -----
    The p-value is the probability, given the margins, of the tables no more probable than the
    observed one. A 2x2 table is ``scipy.stats.fisher_exact``. scipy has no exact r x c test
    (only permutation and Monte Carlo versions), so larger tables are enumerated here: every
    table with the observed margins, with its probability as an exact rational
    ``prod_j multinomial(c_j; column j) / multinomial(N; row totals)``, counted when it is at
    most the observed probability times ``1 + 3.45254e-7``, the tolerance R's network algorithm
    (FEXACT) adds to the observed log probability. The result equals R's ``fisher.test(table)``;
    the enumeration is meant for small tables and stops with a ValueError beyond a million tables.

    Examples
    --------
    >>> round(fisher_exact([[4, 0], [1, 3], [0, 5]]).p_value, 6)
    0.006993
    """
    t = _table(table, "Fisher's exact test")
    if t.shape == (2, 2):
        p = float(stats.fisher_exact(t).pvalue)
        how = "scipy.stats.fisher_exact"
    else:
        p = float(_fisher_rxc(t))
        how = "enumeration of all tables with the observed margins, exact rational probabilities"
    return HypothesisTest(None, None, p, f"Fisher's exact test, two-sided ({how}; R: fisher.test(table))")


def pearson(x, y, alternative: str = "two-sided", confidence: float = 0.95) -> Correlation:
    """Pearson's correlation with its t-test (df = n - 2) and Fisher-z CI.

    Raises
    ------
    ValueError
        For unequal lengths, fewer than three pairs (R: "not enough finite observations"), or a
        constant variable (R: NA).

    Notes
    -----
    ``scipy.stats.pearsonr(x, y, alternative=...)`` and its ``confidence_interval``:
    ``tanh(atanh(r) -/+ z / sqrt(n - 3))``, one-sided for a one-sided test, as R. R gives no CI
    for n = 3 and neither does this function (``ci_low`` and ``ci_high`` are None).
    ``t = sqrt(n - 2) r / sqrt(1 - r**2)``. R: ``cor.test(x, y, method = "pearson")``.

    Examples
    --------
    >>> round(pearson([1, 2, 3, 4, 5], [2, 1, 4, 3, 6]).estimate, 4)
    0.822
    """
    a, b = _pairs(x, y, "Pearson correlation", 3)
    res = stats.pearsonr(a, b, alternative=_alternative(alternative))
    r, df = float(res.statistic), a.size - 2
    t = math.copysign(math.inf, r) if abs(r) == 1 else math.sqrt(df) * r / math.sqrt(1 - r * r)
    ci = res.confidence_interval(_confidence(confidence)) if a.size > 3 else None
    return Correlation(r, t, float(df), float(res.pvalue),
                       None if ci is None else float(ci.low), None if ci is None else float(ci.high),
                       alternative,
                       f"Pearson correlation, t-test, {alternative}, Fisher z CI (scipy.stats.pearsonr; "
                       f"R: cor.test(x, y, method = \"pearson\"{_r_options(alternative, confidence)}))")


def spearman(x, y, alternative: str = "two-sided") -> Correlation:
    """Spearman's rank correlation with R's statistic ``S = (n**3 - n) (1 - rho) / 6`` and p-value.

    Raises
    ------
    ValueError
        For unequal lengths, fewer than two pairs, or a constant variable (R: NA).

    Notes
    -----
    rho is ``scipy.stats.spearmanr`` (average ranks for ties). The p-value is R's
    ``cor.test(x, y, method = "spearman")`` with its default ``exact = NULL``:

    - without ties, n <= 1290: R's ``prho`` (algorithm AS 89), ported here because scipy has no
      equivalent: for n <= 9 the exact permutation distribution of S; for n >= 10 AS 89's
      Edgeworth series, which R clips to [0, 1], so that a strong correlation gets p = 0
      exactly (rho = 0.98 with n = 12 does);
    - with ties (or n > 1290): the t approximation ``t = rho sqrt((n - 2) / (1 - rho**2))`` with
      n - 2 df, which is scipy's p-value, as R's.

    Examples
    --------
    >>> spearman([1, 2, 3, 4, 5, 6, 7], [2, 1, 4, 3, 6, 5, 7]).p_value
    0.012301587301587301
    """
    a, b = _pairs(x, y, "Spearman correlation", 2)
    n = a.size
    rho = float(stats.spearmanr(a, b).statistic)
    s = (n ** 3 - n) * (1 - rho) / 6
    if min(np.unique(a).size, np.unique(b).size) < n or n > 1290:
        p = float(stats.spearmanr(a, b, alternative=_alternative(alternative)).pvalue)
        how = "t approximation (ties)" if n <= 1290 else "t approximation (n > 1290)"
    else:
        p = _spearman_as89(s, n, _alternative(alternative))
        how = "exact permutation distribution" if n <= 9 else "AS 89 Edgeworth series"
    return Correlation(rho, s, None, p, None, None, alternative,
                       f"Spearman rank correlation, {alternative}, {how} (R: cor.test(x, y, method = "
                       f"\"spearman\"{_r_options(alternative)}))")


def odds_ratio_woolf(table, confidence: float = 0.95) -> OddsRatio:
    """Sample odds ratio ``(a d) / (b c)`` of ``[[a, b], [c, d]]`` with Woolf's (log) CI.

    Raises
    ------
    ValueError
        For a zero cell: log(OR) is then infinite, and R's formula gives an OR of 0 or Inf with
        a CI of 0 to Inf (or NaN). The conditional MLE (:func:`odds_ratio_conditional`) has a
        CI with zero cells.

    Notes
    -----
    ``scipy.stats.contingency.odds_ratio(kind="sample")`` and its ``confidence_interval``:
    ``exp(log(OR) -/+ qnorm((1 + confidence) / 2) * sqrt(1/a + 1/b + 1/c + 1/d))``, which is the
    R computation.

    Examples
    --------
    >>> odds_ratio_woolf([[12, 5], [6, 14]]).estimate
    5.6
    """
    t = _table(table, "Woolf odds ratio", square2=True)
    if (t == 0).any():
        raise ValueError("Woolf odds ratio: a zero cell makes log(OR) infinite; "
                         "use the conditional MLE (R: fisher.test), which has a CI with zero cells")
    res = odds_ratio(t, kind="sample")
    ci = res.confidence_interval(_confidence(confidence))
    return OddsRatio(float(res.statistic), float(ci.low), float(ci.high),
                     f"sample odds ratio with Woolf (log) {confidence:.0%} CI (scipy.stats.contingency.odds_ratio("
                     "kind='sample'); R: exp(log(or) + c(-1, 1) * qnorm(0.975) * sqrt(sum(1 / table))))")


def odds_ratio_conditional(table, confidence: float = 0.95) -> OddsRatio:
    """Conditional maximum-likelihood odds ratio with its exact CI, as R's ``fisher.test``.

    Raises
    ------
    ValueError
        When a row or column of the table is empty (the odds ratio is undefined).

    Notes
    -----
    ``scipy.stats.contingency.odds_ratio(kind="conditional")`` and its two-sided
    ``confidence_interval``: the MLE of the noncentral hypergeometric distribution and the odds
    ratios at which each one-sided tail probability equals ``(1 - confidence) / 2``. A zero cell
    gives 0 (or inf) with a CI that starts at 0 (or ends at inf), as R. R's
    ``fisher.test(table)`` solves the same equations with ``uniroot``'s default tolerance
    (``.Machine$double.eps^0.25`` on a scale of 0 to 1), so its estimate and CI are off from the
    roots by up to about 1e-3 relative (29.4247 for 29.4172); scipy's agree with the roots to
    1e-12.

    Examples
    --------
    >>> round(odds_ratio_conditional([[12, 5], [6, 14]]).estimate, 4)
    5.3135
    """
    t = _table(table, "conditional odds ratio", square2=True)
    if (t.sum(axis=0) == 0).any() or (t.sum(axis=1) == 0).any():
        raise ValueError("conditional odds ratio: a row or column of the 2x2 table is empty")
    res = odds_ratio(t, kind="conditional")
    ci = res.confidence_interval(_confidence(confidence))
    return OddsRatio(float(res.statistic), float(ci.low), float(ci.high),
                     f"conditional MLE odds ratio with exact {confidence:.0%} CI (scipy.stats.contingency."
                     "odds_ratio(kind='conditional'); R: fisher.test(table), whose root finding is coarser)")


def _t_record(res, estimate: float, confidence: float, alternative: str, method: str) -> TTest:
    ci = res.confidence_interval(_confidence(confidence))
    return TTest(estimate, float(ci.low), float(ci.high), float(res.statistic), float(res.df),
                 float(res.pvalue), alternative, method)


def _check_spread(stderr: float, scale: float, what: str) -> None:
    if not stderr > 10 * sys.float_info.epsilon * scale:
        raise ValueError(f"{what}: the data are essentially constant (standard error {stderr:g})")


def _spearman_as89(s: float, n: int, alternative: str) -> float:
    # cor.test's pspearman(q, n, lower.tail) is prho(n, round(q) + 2 * lower.tail, lower.tail).
    def tail(lower: bool) -> float:
        return _prho(n, round(s) + 2 * lower, lower)

    if alternative == "two-sided":
        return min(2 * (tail(False) if s > (n ** 3 - n) / 6 else tail(True)), 1.0)
    return tail(alternative == "greater")


def _prho(n: int, s: int, lower: bool) -> float:
    """R's ``prho`` (AS 89): P(S >= s), or P(S < s) when ``lower``."""
    if s <= 0:
        return 0.0 if lower else 1.0
    if s > n * (n * n - 1) / 3:
        return 1.0 if lower else 0.0
    if n <= 9:
        counts = _spearman_null(n)
        at_least = sum(k for value, k in counts.items() if value >= s)
        total = math.factorial(n)
        return (total - at_least if lower else at_least) / total
    c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12 = _AS89
    b = 1 / n
    x = (6 * (s - 1) * b / (n * n - 1) - 1) * math.sqrt(n - 1)
    y = x * x
    u = x * b * (c1 + b * (c2 + c3 * b) + y * (-c4 + b * (c5 + c6 * b) - y * b * (
        c7 + c8 * b - y * (c9 - c10 * b + y * b * (c11 - c12 * y)))))
    y = u / math.exp(y / 2)
    p = -y + stats.norm.cdf(x) if lower else y + stats.norm.sf(x)
    return min(max(float(p), 0.0), 1.0)


@lru_cache(maxsize=None)
def _spearman_null(n: int) -> Counter:
    """How many of the n! permutations give each S = sum (i - p_i)**2."""
    return Counter(sum((i - p) ** 2 for i, p in enumerate(perm)) for perm in itertools.permutations(range(n)))


def _fisher_rxc(t: np.ndarray) -> Fraction:
    rows = tuple(int(r) for r in t.sum(axis=1))
    cols = [int(c) for c in t.sum(axis=0)]
    threshold = _ways(t) * (1 + _FEXACT_TOL)
    total, tables = 0, 0

    def fill(remaining: tuple, j: int, ways: int) -> None:
        nonlocal total, tables
        if j == len(cols) - 1:  # the last column is what the rows have left
            tables += 1
            if tables > _MAX_TABLES:
                raise ValueError(f"Fisher's exact test: more than {_MAX_TABLES:,} tables have these margins; "
                                 "too large to enumerate (R's fisher.test uses a network algorithm)")
            w = ways * _multinomial(remaining)
            if w <= threshold:
                total += w
            return
        for column in _compositions(cols[j], remaining):
            fill(tuple(r - c for r, c in zip(remaining, column)), j + 1, ways * _multinomial(column))

    fill(rows, 0, 1)
    return Fraction(total, _multinomial(rows))


def _ways(t: np.ndarray) -> int:
    """Proportional to the table's probability given its margins: prod_j multinomial(column j)."""
    return math.prod(_multinomial(tuple(int(v) for v in column)) for column in t.T)


def _multinomial(parts: tuple) -> int:
    return math.factorial(sum(parts)) // math.prod(math.factorial(k) for k in parts)


def _compositions(total: int, caps: tuple):
    """Every tuple of whole numbers ``0 <= v_i <= caps_i`` that sums to ``total``."""
    if len(caps) == 1:
        if total <= caps[0]:
            yield (total,)
        return
    rest = sum(caps[1:])
    for first in range(max(0, total - rest), min(caps[0], total) + 1):
        for tail in _compositions(total - first, caps[1:]):
            yield (first,) + tail


def _alternative(alternative: str) -> str:
    if alternative not in ALTERNATIVES:
        raise ValueError(f"unknown alternative {alternative!r}; known: {', '.join(ALTERNATIVES)}")
    return alternative


def _confidence(confidence: float) -> float:
    if not 0 < confidence < 1:
        raise ValueError(f"confidence level must be between 0 and 1, got {confidence!r}")
    return confidence


def _r_options(alternative: str, confidence: float = 0.95) -> str:
    alt = "" if alternative == "two-sided" else f", alternative = \"{alternative}\""
    return alt + ("" if confidence == 0.95 else f", conf.level = {confidence:g}")


def _sample(values, what: str, at_least: int) -> np.ndarray:
    x = np.asarray(values, dtype=float)
    if x.ndim != 1:
        raise ValueError(f"{what}: needs a one-dimensional sample")
    if not np.all(np.isfinite(x)):
        raise ValueError(f"{what}: the sample has missing or infinite values; choose the subset explicitly")
    if x.size < at_least:
        raise ValueError(f"{what}: needs at least {at_least} values, got {x.size}")
    return x


def _pairs(x, y, what: str, at_least: int) -> tuple[np.ndarray, np.ndarray]:
    a, b = _sample(x, what, at_least), _sample(y, what, at_least)
    if a.size != b.size:
        raise ValueError(f"{what}: x has {a.size} values but y has {b.size}")
    for name, v in (("x", a), ("y", b)):
        if np.all(v == v[0]):
            raise ValueError(f"{what}: {name} is constant, so the correlation is undefined")
    return a, b


def _table(table, what: str, square2: bool = False) -> np.ndarray:
    t = np.asarray(table, dtype=float)
    if t.ndim != 2 or min(t.shape) < 2 or (square2 and t.shape != (2, 2)):
        raise ValueError(f"{what}: needs a {'2x2' if square2 else 'r x c (r, c >= 2)'} table of counts, "
                         f"got shape {t.shape}")
    if not (np.all(np.isfinite(t)) and np.all(t >= 0) and np.all(t == np.floor(t))):
        raise ValueError(f"{what}: counts must be whole numbers >= 0")
    return t.astype(np.int64)
