"""The analyses of tests and estimates beyond the paired comparison: two groups of patient rows, one
sample against a value, contingency tables of counts, proportions with their CIs, t-tests from
printed summaries, and p-values or odds from printed test statistics.

Each analysis is a function ``(context, params) -> Recomputed`` as in :mod:`reanalysis.analyses`,
which registers them. The statistics are :mod:`reanalysis.inference` and :mod:`reanalysis.statcheck`
(scipy and statsmodels, tested against R); this module only finds the data a claim names and
says which number of a test's result the claim prints (``result``).
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

from scipy import stats as sp

from reanalysis import conditions, inference, statcheck, stats
from reanalysis.context import Context, Outcome, Recomputed

T_RESULTS = ("t", "df", "estimate", "ci_low", "ci_high")
TABLE_RESULTS = ("statistic", "df")
RATIO_RESULTS = ("estimate", "ci_low", "ci_high")
CI_METHODS = {
    "clopper_pearson": (stats.clopper_pearson, "exact Clopper-Pearson (R: binom.test(k, n)$conf.int)"),
    "wilson": (stats.wilson, "Wilson score, no continuity correction (R: prop.test(k, n, correct = FALSE)$conf.int)"),
}


def _t_result(res: inference.TTest, result: str):
    return {"p": res.p_value, "t": res.statistic, "df": res.df, "estimate": res.estimate, "ci_low": res.ci_low,
            "ci_high": res.ci_high}[result]


def _t(ctx: Context, params: dict, result: str) -> Recomputed:
    side = params.get("alternative", "two-sided")
    try:
        if "contrast" in params:
            x, y = ctx.groups(params["contrast"], params["column"], params.get("missing"))
            res = inference.two_sample_t([float(v) for v in x], [float(v) for v in y],
                                         equal_var=params["variance"] == "equal", alternative=side)
            label = ctx.contrast(params["contrast"]).label
            n, what = len(x) + len(y), f"{label}: {params['column']}, n = {len(x)} vs {len(y)}"
        else:
            x = ctx.exact_values(params["table"], params["column"], params.get("subset"), params.get("missing"))
            mu = float(Decimal(params.get("mu", "0")))
            res = inference.one_sample_t([float(v) for v in x], mu=mu, alternative=side)
            n, what = len(x), f"{params['table']}.{params['column']}, n = {len(x)}"
    except ValueError as e:
        ctx.fail(str(e))
    return Recomputed(_t_result(res, result), f"{res.method}; t = {res.statistic:.4f}, df = {res.df:.4g}; {what}", n)


def two_sample_t_p(ctx: Context, params: dict) -> Recomputed:
    """The p-value of a two-sample t-test of a column between a [[contrast]]'s groups: Student's
    (``variance = "equal"``) or Welch's (``"welch"``)."""
    return _t(ctx, params, "p")


def two_sample_t(ctx: Context, params: dict) -> Recomputed:
    """t, df, the difference of means (treatment - comparator) or an end of its 95% CI, of the same test."""
    return _t(ctx, params, params["result"])


def one_sample_t_p(ctx: Context, params: dict) -> Recomputed:
    """The p-value of a one-sample t-test of a column's mean against ``mu`` (default 0)."""
    return _t(ctx, params, "p")


def one_sample_t(ctx: Context, params: dict) -> Recomputed:
    """t, df, the mean or an end of its 95% CI, of the same one-sample test."""
    return _t(ctx, params, params["result"])


def paired_t(ctx: Context, params: dict) -> Recomputed:
    """t, df, the mean difference (after - before) or an end of its 95% CI, of the paired t-test of a
    [[comparison]] against a hypothesised mean difference ``mu`` (default 0)."""
    return paired(ctx, params, params["result"])


def paired(ctx: Context, params: dict, result: str) -> Recomputed:
    """A number of the paired t-test of a [[comparison]] with ``mu`` and ``alternative`` (R's t.test)."""
    data = ctx.paired(params["comparison"])
    try:
        res = inference.paired_t(data.before, data.after, mu=float(Decimal(params.get("mu", "0"))),
                                 alternative=params.get("alternative", "two-sided"))
    except ValueError as e:
        ctx.fail(str(e))
    return Recomputed(_t_result(res, result), f"{res.method}; t = {res.statistic:.4f}, df = {res.df:g}; "
                      f"{data.comparison.label}", len(data.before))


def _correlation(ctx: Context, params: dict, result: str) -> Recomputed:
    t = params["table"]
    rows = ctx.present(t, (params["column"], params["other"]), params.get("subset"), params.get("missing"))
    x, y = ([float(ctx.table(t).exact[c][i]) for i in rows.index] for c in (params["column"], params["other"]))
    try:
        res = (inference.pearson if params["method"] == "pearson" else inference.spearman)(
            x, y, params.get("alternative", "two-sided"))
    except ValueError as e:
        ctx.fail(str(e))
    value = res.p_value if result == "p" else res.estimate
    return Recomputed(value, f"{res.method}; r = {res.estimate:.4f}, n = {len(x)}; {t}.{params['column']} with "
                      f"{t}.{params['other']}", len(x))


def correlation(ctx: Context, params: dict) -> Recomputed:
    """Pearson's r or Spearman's rho between two columns of a table (over a subset)."""
    return _correlation(ctx, params, "r")


def correlation_p(ctx: Context, params: dict) -> Recomputed:
    """The p-value of the same correlation's test (Spearman's exact or AS 89 p as R gives it)."""
    return _correlation(ctx, params, "p")


def _rank_sum(ctx: Context, params: dict, result: str) -> Recomputed:
    x, y = ctx.groups(params["contrast"], params["column"], params.get("missing"))
    try:
        res = inference.wilcoxon_rank_sum([float(v) for v in x], [float(v) for v in y],
                                          params.get("alternative", "two-sided"))
    except ValueError as e:
        ctx.fail(str(e))
    value = res.p_value if result == "p" else Fraction(res.statistic).limit_denominator(2)
    return Recomputed(value, f"{res.method}; W = {res.statistic:g}; {ctx.contrast(params['contrast']).label}: "
                      f"{params['column']}, n = {len(x)} vs {len(y)}", len(x) + len(y))


def rank_sum_p(ctx: Context, params: dict) -> Recomputed:
    """The p-value of the Wilcoxon rank-sum (Mann-Whitney) test of a column between a contrast's groups."""
    return _rank_sum(ctx, params, "p")


def rank_sum_w(ctx: Context, params: dict) -> Recomputed:
    """R's W statistic (the Mann-Whitney U of the treatment group) of the same test."""
    return _rank_sum(ctx, params, "w")


def _counts(ctx: Context, params: dict) -> list:
    """The table of whole counts: ``rows`` x ``columns`` of a count table, or, for a [[contrast]] of patient
    rows, each group's rows that meet ``where`` and those that do not (a 2x2 table)."""
    if {"table", "rows", "columns"} <= set(params) and not {"contrast", "where"} & set(params):
        return [[ctx.whole(params["table"], row, column) for column in params["columns"]] for row in params["rows"]]
    if {"contrast", "where"} <= set(params) and not {"table", "rows", "columns"} & set(params):
        c = ctx.contrast(params["contrast"])
        if c.by is None:
            ctx.fail(f"contrast {c.id!r} compares two rows of a table; tally patient rows with a contrast that has 'by'")
        rows = ctx.rows(c.table, c.subset)
        counts = []
        for value in (c.treatment, c.comparator):
            group = rows[rows[ctx.column_name(c.table, c.by)] == value]
            try:
                mask, _ = conditions.select(group, ctx.table(c.table).fields, params["where"])
            except ValueError as e:
                ctx.fail(f"'where': {e}")
            counts.append([int(mask.sum()), len(group) - int(mask.sum())])
        return counts
    ctx.fail("a table of counts is either 'table', 'rows' and 'columns' of a count table, or a 'contrast' of patient "
             "rows with the 'where' that makes an event")


def _table_text(counts: list) -> str:
    return "table " + " / ".join(" ".join(str(c) for c in row) for row in counts)


def _table_test(ctx: Context, params: dict, result: str) -> Recomputed:
    counts = _counts(ctx, params)
    test = params["test"]
    try:
        if test == "fisher":
            res = inference.fisher_exact(counts)
        elif test == "mcnemar":
            res = inference.mcnemar(counts, correct=params.get("correction", "none") == "continuity")
        else:
            res = inference.chi_square(counts, correct=params.get("correction", "none") == "continuity")
    except ValueError as e:
        ctx.fail(str(e))
    if result != "p" and res.statistic is None:
        ctx.fail(f"{test} prints no {result}; claim its p-value")
    value = {"p": res.p_value, "statistic": res.statistic, "df": res.df}[result]
    return Recomputed(value, f"{res.method}; {_table_text(counts)}", sum(map(sum, counts)))


def table_test_p(ctx: Context, params: dict) -> Recomputed:
    """The p-value of a test of an r x c table of counts: ``rows`` x ``columns`` of a count table, or the 2x2
    table of a [[contrast]]'s groups tallied from patient rows by an event condition (``where``). Chi-square
    (``correction = "continuity"`` for Yates, applied to 2x2 only), Fisher's exact, or McNemar (paired 2x2)."""
    return _table_test(ctx, params, "p")


def table_test(ctx: Context, params: dict) -> Recomputed:
    """The statistic or df of the same test (chi-square's X-squared and df; McNemar's statistic)."""
    return _table_test(ctx, params, params["result"])


def odds_ratio(ctx: Context, params: dict) -> Recomputed:
    """An odds ratio of a 2x2 table of counts, or an end of its CI: ``woolf`` (sample OR, log CI) or
    ``conditional`` (the conditional MLE with its exact CI, as R's fisher.test)."""
    counts = _counts(ctx, params)
    try:
        res = (inference.odds_ratio_woolf if params["method"] == "woolf" else inference.odds_ratio_conditional)(counts)
    except ValueError as e:
        ctx.fail(str(e))
    value = {"estimate": res.estimate, "ci_low": res.ci_low, "ci_high": res.ci_high}[params["result"]]
    return Recomputed(value, f"{res.method}: {res.estimate:.4g} ({res.ci_low:.4g} to {res.ci_high:.4g}); "
                      f"{_table_text(counts)}", sum(map(sum, counts)))


def proportion_ci(ctx: Context, params: dict) -> Recomputed:
    """An end of the 95% CI of a proportion events / n (one row of a count table), in percent."""
    t = params["table"]
    k, n = ctx.whole(t, params["row"], ctx.role(t, "events")), ctx.whole(t, params["row"], ctx.role(t, "n"))
    function, label = CI_METHODS[params["method"]]
    try:
        res = function(k, n)
    except ValueError as e:
        ctx.fail(str(e))
    end = res.ci_low if params["result"] == "ci_low" else res.ci_high
    return Recomputed(100 * end, f"95% CI of {k}/{n}, {label}: {100 * res.ci_low:.2f}% to {100 * res.ci_high:.2f}%", n)


def t_from_summaries(ctx: Context, params: dict) -> Recomputed:
    """A printed two-group p-value against the groups' printed means, SDs and sizes: a [[contrast]] of two
    rows of a summary table whose columns have the roles mean, sd and n. Some means and SDs within their
    rounding must give a p inside the printed one. Student's test (``variance = "equal"``) or Welch's."""
    c = ctx.contrast(params["contrast"])
    if c.by is not None:
        ctx.fail(f"contrast {c.id!r} splits patient rows; a t-test from summaries compares two rows of a summary table")
    t, rows = c.table, (c.treatment, c.comparator)
    (m1, s1), (m2, s2) = ([ctx.printed_cell(t, r, ctx.role(t, c)) for c in ("mean", "sd")] for r in rows)
    n1, n2 = (ctx.whole(t, r, ctx.role(t, "n")) for r in rows)
    equal = params["variance"] == "equal"
    low, high = _p_range(m1, s1, n1, m2, s2, n2, equal)
    nominal = _p(m1.value - m2.value, s1.value, s2.value, n1, n2, equal)
    method = (f"{'Student' if equal else 'Welch'} two-sample t-test from printed summaries, {m1.text} ({s1.text}), "
              f"n = {n1} vs {m2.text} ({s2.text}), n = {n2}: p = {nominal:.4g} at the printed values, from {low:.4g} "
              f"to {high:.4g} with means and SDs anywhere within their rounding (scipy.stats.ttest_ind_from_stats; R: "
              "t.test on the summaries)")

    def check(printed) -> Outcome:
        iv = printed.interval("bound" if printed.kind == "bound" else "half_up")
        ok = (iv.high is None or float(iv.high) >= low) and (iv.low is None or float(iv.low) <= high)
        return Outcome(ok, nominal)
    return Recomputed(None, method, n1 + n2, check=check)


def _p_range(m1, s1, n1, m2, s2, n2, equal: bool) -> tuple:
    """The smallest and largest two-sided p of a two-sample t-test over means and SDs in their rounding
    intervals: |t| grows with the distance between the means and shrinks as either SD grows."""
    a, b = m1.interval("half_up"), m2.interval("half_up")
    far = max(abs(a.high - b.low), abs(b.high - a.low))
    near = max(Decimal(0), a.low - b.high, b.low - a.high)
    sd1, sd2 = s1.interval("half_up"), s2.interval("half_up")
    return _p(far, sd1.low, sd2.low, n1, n2, equal), _p(near, sd1.high, sd2.high, n1, n2, equal)


def _p(diff, sa, sb, n1: int, n2: int, equal: bool) -> float:
    """Two-sided p of a two-sample t-test of a mean difference ``diff`` with SDs ``sa`` and ``sb``; 1 when
    there is no difference and no spread (an SD rounded to 0 is taken as the smallest positive double)."""
    sa, sb = max(float(sa), 1e-300), max(float(sb), 1e-300)
    res = sp.ttest_ind_from_stats(float(diff), sa, n1, 0.0, sb, n2, equal_var=equal)
    return float(res.pvalue) if math.isfinite(res.pvalue) else 1.0


def _printed_statistic(ctx: Context, params: dict):
    stat = ctx.printed(params["statistic_claim"])
    if stat.kind != "number":
        ctx.fail(f"claim {params['statistic_claim']!r} must print a test statistic as a number")
    return stat


def p_from_statistic(ctx: Context, params: dict) -> Recomputed:
    """A printed p-value against the printed test statistic it comes with (another claim), its ``test``
    (t, F, chi2, z, r) and df, as statcheck does: the statistic anywhere within its rounding gives a range
    of p-values, which must meet the printed p (``sides = "one"`` for a one-sided test). Without ``sides``,
    a t, z or r whose claim quotes "one-sided", "one-tailed" or "directional" is also accepted as one-sided
    when only that reading fits (statcheck's one-tailed correction)."""
    stat = _printed_statistic(ctx, params)
    one = params.get("sides", "two") == "one"
    test, df, df2 = params["test"], params.get("df"), params.get("df2")
    try:
        p_low, p_high = statcheck.p_range(test, stat, df, df2, one_sided=one)
    except ValueError as e:
        ctx.fail(str(e))
    quote = next(c.quote for c in ctx.paper.claims if c.id == ctx.claim_id)
    detect = "sides" not in params
    dfs = "" if df is None else f"({df}{'' if df2 is None else f', {df2}'})"
    method = (f"p from the printed {test}{dfs} = {stat.text}, {'one' if one else 'two'}-sided, the statistic "
              f"anywhere within its rounding: p from {p_low:.4g} to {p_high:.4g} (statcheck's compute_p; scipy sf)")

    def check(printed) -> Outcome:
        if statcheck.p_consistent(test, stat, printed, df, df2, one_sided=one):
            return Outcome(True, p_low)
        if detect and statcheck.consistent_one_sided_only(test, stat, printed, df, df2, text=quote):
            low, high = statcheck.p_range(test, stat, df, df2, one_sided=True)
            return Outcome(True, low, f"; one-sided only (p from {low:.4g} to {high:.4g}), as the quote says: "
                           "statcheck's one-tailed correction")
        return Outcome(False, p_low)
    return Recomputed(None, method, 1, check=check)


def tail_odds(ctx: Context, params: dict) -> Recomputed:
    """The odds against a printed t (df) or z (no df) arising by chance, printed as "N to 1": the upper
    tail probability p, odds (1 - p) / p (``sides = "two"``: the two-sided p)."""
    stat = _printed_statistic(ctx, params)
    two = params.get("sides", "one") == "two"
    df = params.get("df")
    iv = stat.interval("half_up")
    ends = [statcheck.tail_probability(float(x), df, two_sided=two) for x in (iv.low, iv.high)]
    low, high = sorted(e.odds_against for e in ends)
    method = (f"odds against chance, (1 - p) / p, of the printed {'t (' + str(df) + ' df)' if df else 'z'} = "
              f"{stat.text} within its rounding ({'two-sided' if two else 'upper tail'}): {low:.4g} to {high:.4g} "
              f"to 1 ({ends[0].method})")

    def check(printed) -> Outcome:
        o = printed.interval("half_up")
        return Outcome(float(o.high) >= low and float(o.low) <= high, low)
    return Recomputed(None, method, 1, check=check)
