"""The analyses a claim can name, each returning evidence about one printed number.

An analysis is a function ``(context, params) -> Recomputed``. It never reads the printed value
it is judged against: it returns either a value recomputed from the datasets (exact where it is
descriptive arithmetic on transcribed decimals) or a *check*, a function of any printed value that
says whether the evidence accepts it. :mod:`reanalysis.judge` applies the evidence to the printed
value and to its neighbours, which gives the verdict and the check's strength.

:data:`ANALYSES` is the registry: each name with its function, its kind (a ``value``, a ``p_value``,
a ``bound`` or a consistency ``check``), the domain of the quantity it judges and the parameters it
takes, so a claims file is checked before anything is computed. Adding a paper needs no code here
unless it needs a new kind of statistic.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Callable

from reanalysis import arithmetic, conditions, describe, exact, inference, rounding, samples, statcheck, stats, testing
from reanalysis.claims import REASONS
from reanalysis.context import Context, Outcome, Recomputed


KINDS = ("value", "p_value", "bound", "check", "contradiction", "none")


@dataclass(frozen=True)
class Analysis:
    """One entry of the registry: the function, the kind of evidence it returns, the domain of the
    quantity it judges (neighbouring printed values outside it are not counted in the strength), the
    parameters it takes, and whether its evidence is summary-level (it rests on other printed numbers
    or only bounds the printed value: it can make a claim ``consistent``, never ``reproduced``)."""

    function: Callable
    kind: str
    domain: tuple
    required: tuple
    optional: tuple = ()
    summary: bool = False

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown analysis kind {self.kind!r}; known: {', '.join(KINDS)}")

    @property
    def verdicts(self) -> tuple:
        """The verdicts a claim judged by this analysis can receive (``consistent`` instead of
        ``reproduced`` also when the claim rests on a stated assumption)."""
        if self.kind == "none":
            return ("not_recomputable",)
        accepted = ("consistent",) if self.summary else ("reproduced", "consistent")
        return accepted + ("discrepant", "not_recomputable")


def _where(ctx: Context, params: dict):
    rows = ctx.rows(params["table"], params.get("subset"))
    cond = params.get("where")
    if cond is None:
        return rows, rows, ""
    try:
        mask, text = conditions.select(rows, ctx.table(params["table"]).fields, cond)
    except ValueError as e:
        ctx.fail(f"'where': {e}")
    return rows[mask], rows, text


def count(ctx: Context, params: dict) -> Recomputed:
    """The number of rows of a table (over a subset) that meet a condition (``where``); all rows without one."""
    selected, rows, cond = _where(ctx, params)
    return Recomputed(Fraction(len(selected)), f"count of rows of {params['table']} ({describe.subset_label(params)})"
                      + (f" where {cond}" if cond else ""), len(rows))


def percent(ctx: Context, params: dict) -> Recomputed:
    """A percentage, exact, with the Clopper-Pearson CI of a count among a count in the method: of the rows
    of a table (over a subset) that meet a condition (``table``, ``where``), or of any two numbers
    (``numerator`` and ``total``, references as in ``arithmetic``: the events and n cells of a count
    table's row, a printed count and the rows of a table, ...)."""
    forms = ("table" in params, "numerator" in params or "total" in params)
    if forms[0] == forms[1] or (forms[1] and not {"numerator", "total"} <= set(params)):
        ctx.fail("percent takes either 'table' (with 'subset' and 'where') or both 'numerator' and 'total'")
    if forms[1]:
        return _ratio_percent(ctx, params)
    selected, rows, cond = _where(ctx, params)
    return _percent(len(selected), len(rows), f"rows of {params['table']} ({describe.subset_label(params)})"
                    + (f" where {cond}" if cond else ""))


def _ratio_percent(ctx: Context, params: dict) -> Recomputed:
    rec = arithmetic.arithmetic(ctx, {"expression": "100 * numerator / total",
                                      "of": {"numerator": params["numerator"], "total": params["total"]}})
    if rec.value is None:
        return rec
    k, n = (arithmetic.resolve(ctx, name, params[name])[0] for name in ("numerator", "total"))
    if k.denominator == n.denominator == 1 and 0 <= k <= n:
        ci = stats.clopper_pearson(int(k), int(n))
        return Recomputed(rec.value, f"{rec.method}; {ci.method}: {100 * ci.ci_low:.1f}% to {100 * ci.ci_high:.1f}%",
                          int(n), summary=rec.summary)
    return rec


def _percent(k: int, n: int, what: str) -> Recomputed:
    """The exact percentage 100 k / n, with its exact Clopper-Pearson CI in the method."""
    ci = stats.clopper_pearson(k, n)
    return Recomputed(Fraction(100 * k, n), f"percentage {k}/{n} x 100 of {what}; {ci.method}: "
                      f"{100 * ci.ci_low:.1f}% to {100 * ci.ci_high:.1f}%", n)


def paired_t_p(ctx: Context, params: dict) -> Recomputed:
    """The p-value of the paired t-test of a [[comparison]] (after - before): two-sided against a mean
    difference of 0, or against ``mu`` with an ``alternative`` when given."""
    if "mu" in params or "alternative" in params:
        return testing.paired(ctx, params, "p")
    data = ctx.paired(params["comparison"])
    res = stats.paired_t(data.before, data.after)
    return Recomputed(res.p_value, f"{res.method}; t = {res.statistic:.4f}, df = {res.df}, "
                      f"{data.comparison.label}", res.n)


def _at_most(bound) -> Callable:
    """A bound check: some value the printed text stands for must not exceed ``bound``."""
    def check(printed) -> Outcome:
        iv = printed.interval("half_up")
        ok = not (iv.low > bound or (iv.low == bound and not iv.low_closed))
        return Outcome(ok, bound, "" if ok else f"; {printed.text} exceeds it")
    return check


def cell_at_most(ctx: Context, params: dict) -> Recomputed:
    """The largest value a cell can take: one column minus another, in the same row (exact)."""
    t = ctx.table(params["table"])
    key = t.primary_key[0] if t.primary_key else None
    if key is None:
        ctx.fail(f"table {params['table']!r} has no primary key to find row {params['row']!r}")
    minuend, subtrahend = params["bound"]
    value = ctx.cell(params["table"], params["row"], minuend) - ctx.cell(params["table"], params["row"], subtrahend)
    return Recomputed(value, f"upper bound {minuend} - {subtrahend} of {key} {params['row']} = {fmt_count(value)}", 1,
                      check=_at_most(value))


def cell(ctx: Context, params: dict) -> Recomputed:
    """One cell, exact: the same number printed elsewhere (transcribed from a different sentence than the
    claim), or a cell of a derived column, so that a printed column of differences is reproduced cell by cell."""
    value = ctx.cell(params["table"], params["row"], params["column"])
    return Recomputed(value, f"{params['table']}.{params['column']} of row {params['row']!r}", 1)


def at_most_cell(ctx: Context, params: dict) -> Recomputed:
    """A subset cannot exceed its set: the printed count must be at most another cell."""
    value = ctx.cell(params["table"], params["row"], params["column"])
    return Recomputed(value, f"upper bound {params['table']}.{params['column']} of row {params['row']!r} = "
                      f"{fmt_count(value)} ({params['why']})", 1, check=_at_most(value))


def grim_mean(ctx: Context, params: dict) -> Recomputed:
    """GRIM: whether a printed mean of n values, each a multiple of ``granularity`` (or, with ``items``, the
    mean of that many such answers, a multiple of ``granularity / items``), is attainable at all."""
    n, items = arithmetic.n_of(ctx, params), params.get("items", 1)
    step = Fraction(Decimal(params["granularity"])) / items
    each = (f"each the mean of {items} items in steps of {params['granularity']}" if items > 1
            else f"in steps of {params['granularity']}")
    method = (f"GRIM: means of n = {n} values {each} are multiples of {_ratio(step / n)}, read under "
              f"{rounding.RULE_NAMES['nearest']}")

    def check(printed) -> Outcome:
        mean = stats.grim(printed, n, step, "nearest")
        if mean is not None:
            return Outcome(True, mean, f"; attainable mean {_ratio(mean)}")
        grid = step / n
        nearest = round(Fraction(printed.value) / grid) * grid
        rule = next((r for r in rounding.RULES + rounding.DIRECTED if printed.interval(r).contains(nearest)), None)
        return Outcome(False, nearest, f"; no attainable mean rounds to {printed.text}; nearest "
                       f"{_ratio(nearest)}"
                       + (f" (which gives {printed.text} only under {rounding.RULE_NAMES[rule]})" if rule else ""))
    return Recomputed(None, method, n, check=check)


def summary_value(ctx: Context, params: dict) -> Recomputed:
    """The same quantity printed in another place (another table, the abstract): must agree."""
    other = ctx.printed_cell(params["table"], params["row"], params["column"])
    return Recomputed(Fraction(other.value), f"printed {other.text} in {params['table']}.{params['column']} of row "
                      f"{params['row']!r}", 1)


def _mean_and_n(ctx: Context, params: dict) -> tuple:
    """A summary row's printed mean (its column found by role) and the claim's n, at least 2 (an SD needs two)."""
    n = arithmetic.n_of(ctx, params)
    if n < 2:
        ctx.fail(f"an SD needs n >= 2, got {n}")
    return ctx.printed_cell(params["table"], params["row"], ctx.role(params["table"], "mean")), n


def grimmer_sd(ctx: Context, params: dict) -> Recomputed:
    """GRIMMER: whether a printed SD is attainable for whole-number data with the printed mean and n."""
    mean, n = _mean_and_n(ctx, params)

    def check(sd) -> Outcome:
        found = stats.grimmer(mean, sd, n, "nearest")
        if found is None:
            return Outcome(False, None, f"; no {n} whole numbers have mean {mean.text} and SD {sd.text}")
        total, squares = found
        return Outcome(True, exact.Root((squares - Fraction(total * total, n)) / (n - 1)),
                       f"; attainable with sum {total} and sum of squares {squares}")
    return Recomputed(None, f"GRIMMER for whole-number data, n = {n}, mean {mean.text}, both read under "
                      f"{rounding.RULE_NAMES['nearest']}", n, check=check)


def debit_sd(ctx: Context, params: dict) -> Recomputed:
    """DEBIT: whether a printed SD of a 0/1 variable is attainable with the printed mean (a proportion) and n."""
    mean, n = _mean_and_n(ctx, params)

    def check(sd) -> Outcome:
        k = stats.debit(mean, sd, n, "nearest")
        if k is None:
            return Outcome(False, None, f"; no count of ones out of {n} gives mean {mean.text} and SD {sd.text}")
        return Outcome(True, exact.Root(Fraction(k * (n - k), n * (n - 1))), f"; attainable with {k} ones out of {n}")
    if not 0 <= mean.value <= 1:
        ctx.fail(f"DEBIT needs the mean of a 0/1 variable, a proportion from 0 to 1; row {params['row']!r} prints "
                 f"{mean.text}")
    return Recomputed(None, f"DEBIT for binary (0/1) data, n = {n}, mean {mean.text}, both read under "
                      f"{rounding.RULE_NAMES['nearest']}", n, check=check)


def sd_feasible(ctx: Context, params: dict) -> Recomputed:
    """Whether a printed SD lies within the smallest and largest SD that n values with the printed mean and range (or lower limit ``floor``) can have."""
    table = params["table"]
    mean, n = ctx.printed_cell(table, params["row"], ctx.role(table, "mean")), arithmetic.n_of(ctx, params)
    t = ctx.table(table).frame
    row = t[t[ctx.table(table).primary_key[0]] == params["row"]].iloc[0]
    low_column = ctx.role(table, "range_low", optional=True)
    if low_column is not None and row[low_column]:
        low = ctx.printed_cell(table, params["row"], low_column)
        high = ctx.printed_cell(table, params["row"], ctx.role(table, "range_high"))
        smallest, largest = stats.sd_limits(mean, n, low, high)
        given = f"mean {mean.text}, range {low.text} to {high.text}"
    else:
        if "floor" not in params:
            ctx.fail("without a printed range, sd_feasible needs a 'floor' (the variable's lower limit)")
        smallest, largest = stats.sd_limits(mean, n, floor=params["floor"])
        given = f"mean {mean.text}, values at least {params['floor']}"

    def check(sd) -> Outcome:
        iv = sd.interval("half_up")
        return Outcome(float(iv.low) <= largest and float(iv.high) >= smallest, largest)
    return Recomputed(None, f"SD limits for n = {n} values with {given} (Bhatia-Davis upper bound, all printed values "
                      f"within their rounding): {smallest:.4g} to {largest:.4g}", n, check=check)


def paired_mark(ctx: Context, params: dict) -> Recomputed:
    """A significance mark (or its absence) against the printed before and after means and SDs: some within-patient correlation must give a paired t-test p in the range the mark states."""
    t, n = params["table"], arithmetic.n_of(ctx, params)
    cells = [ctx.printed_cell(t, r, ctx.role(t, c)) for r in (params["baseline_row"], params["row"]) for c in ("mean", "sd")]
    method = (f"paired t-test from summaries, n = {n}, df = {n - 1}, baseline {cells[0].text} ({cells[1].text}) vs "
              f"{cells[2].text} ({cells[3].text}), means and SDs within their rounding (scipy.stats.t; R: "
              "2 * pt(-abs(t), n - 1)); a Wilcoxon test cannot be checked from summaries")

    def check(reading) -> Outcome:
        iv = reading.interval("bound")
        lo = 0.0 if iv.low is None else float(iv.low)
        hi = math.inf if iv.high is None else float(iv.high)
        r_range = stats.mark_correlations(*cells, n, lo, hi)
        if r_range is None:
            return Outcome(False, None, f"; no within-patient correlation r in [-1, 1] gives p {reading.text}")
        text = "every r in [-1, 1]" if r_range == (-1.0, 1.0) else f"only r in [{r_range[0]}, {r_range[1]}]"
        return Outcome(True, r_range[0], f"; p {reading.text} holds for {text}")
    return Recomputed(None, method, n, check=check)


def range_contains_mean(ctx: Context, params: dict) -> Recomputed:
    """A printed range end must not lie beyond the printed mean (min <= mean <= max)."""
    mean = ctx.printed_cell(params["table"], params["row"], ctx.role(params["table"], "mean"))
    m = mean.interval("half_up")

    def check(end) -> Outcome:
        e = end.interval("half_up")
        return Outcome(e.low <= m.high if params["end"] == "low" else e.high >= m.low, Fraction(mean.value))
    return Recomputed(None, f"the range's {params['end']} end against the printed mean {mean.text} "
                      f"({'minimum <= mean' if params['end'] == 'low' else 'maximum >= mean'})", 1,
                      check=check)


def percent_attainable(ctx: Context, params: dict) -> Recomputed:
    """Whether any whole count k out of n gives the printed percentage (when k is not printed)."""
    n = arithmetic.n_of(ctx, params)

    def check(printed) -> Outcome:
        iv = printed.interval("half_up")
        first = max(0, math.ceil(Fraction(iv.low) * n / 100))
        hits = [k for k in range(first, min(n, first + 3) + 1) if iv.contains(Fraction(100 * k, n))]
        if hits:
            return Outcome(True, Fraction(100 * hits[0], n), f"; attainable with k = {', '.join(map(str, hits))}"
                           + (" ..." if len(hits) == 3 and hits[-1] < n and iv.contains(Fraction(100 * (hits[-1] + 1), n))
                              else ""))
        nearest = min(max(round(Fraction(printed.value) * n / 100), 0), n)
        return Outcome(False, Fraction(100 * nearest, n), f"; none prints as {printed.text} (nearest {nearest}/{n})")
    return Recomputed(None, f"percentages k/{n} x 100 for whole k = 0..{n}, rounded half up", n,
                      check=check)


def two_by_two_p(ctx: Context, params: dict) -> Recomputed:
    """A printed two-arm p-value recomputed from a [[contrast]]'s counts (events / n of two rows of a count
    table) by one named 2x2 test."""
    (k1, n1), (k2, n2) = ctx.arms(params["contrast"])
    res = stats.two_by_two(k1, n1, k2, n2, params["method"])
    return Recomputed(res.p_value, f"{res.method}; {k1}/{n1} vs {k2}/{n2}", n1 + n2)


def risk_difference(ctx: Context, params: dict) -> Recomputed:
    """A risk difference of a [[contrast]]'s two arms (events / n), or an end of its 95% CI (Wald or Newcombe's
    hybrid score), in percentage points."""
    (k1, n1), (k2, n2) = ctx.arms(params["contrast"])
    res = stats.risk_difference(k1, n1, k2, n2, params["method"])
    value = {"estimate": 100 * (Fraction(k1, n1) - Fraction(k2, n2)), "ci_low": 100 * res.ci_low,
             "ci_high": 100 * res.ci_high}[params["result"]]
    return Recomputed(value, f"{res.method}, in percentage points; {k1}/{n1} vs {k2}/{n2}: "
                      f"{100 * res.estimate:.2f} ({100 * res.ci_low:.2f} to {100 * res.ci_high:.2f})", n1 + n2)


_RATIO_PARTS = ("estimate", "ci_low", "ci_high")


def rr_centre(ctx: Context, params: dict) -> Recomputed:
    """A published ratio must sit at the centre of its CI on the log scale (within the printed rounding).

    The claim prints one of the three (``result``); the other two come from the table. The check is
    exact: the squared estimate must overlap the products of the CI ends over their rounding.
    """
    part = params["result"]
    others = {c: ctx.printed_cell(params["table"], params["row"], ctx.role(params["table"], c))
              for c in _RATIO_PARTS if c != part}

    def check(printed) -> Outcome:
        est, low, high = ({**others, part: printed}[c].interval("half_up") for c in _RATIO_PARTS)
        ok = low.low * high.low <= est.high ** 2 and low.high * high.high >= est.low ** 2
        centre = exact.Root(Fraction(low.low + low.high) * Fraction(high.low + high.high) / 4)
        return Outcome(ok, centre, f"; geometric centre {float(exact.Root(Fraction(low.low * high.low))):.4f} to "
                       f"{float(exact.Root(Fraction(low.high * high.high))):.4f} over the CI's rounding")
    shown = ", ".join(f"{c} {p.text}" for c, p in others.items())
    return Recomputed(None, f"the estimate at the geometric centre of its CI ({params['table']} row {params['row']!r}: "
                      f"{shown})", 1, check=check)


def subset_total(ctx: Context, params: dict) -> Recomputed:
    """Can k of the listed trials make the printed total of patients?"""
    own = ctx.claim_id
    if own not in (params["k_claim"], params["total_claim"]):
        ctx.fail("subset_total judges either its 'k_claim' or its 'total_claim'")
    rows = params["rows"]
    sizes = {r: int(ctx.cell(params["table"], r, ctx.role(params["table"], "n"))) for r in rows}
    other = ctx.printed(params["total_claim"] if own == params["k_claim"] else params["k_claim"])

    def check(printed) -> Outcome:
        k, total = (printed.value, other.value) if own == params["k_claim"] else (other.value, printed.value)
        if k != int(k) or total != int(total) or not 0 <= k <= len(rows):
            return Outcome(False, None, f"; {k} of {len(rows)} trials summing to {total} is not a whole selection")
        found = _k_rows_summing_to([(r, sizes[r]) for r in rows], int(k), int(total))
        if found is None:
            return Outcome(False, None, f"; no {k} of them sum to {total}")
        return Outcome(True, Fraction(int(printed.value)), f"; {k} summing to {total}: "
                       + " + ".join(f"{r} ({sizes[r]})" for r in found))
    return Recomputed(None, f"subsets of the {len(rows)} trials the document lists ({params['table']}) against the "
                      f"printed number of trials and of patients", len(rows), check=check)


def _k_rows_summing_to(items: list, k: int, total: int):
    """``k`` of the ``(row, size)`` items whose sizes sum to ``total`` (the first in list order), or None.

    Dynamic programming over (how many chosen, their sum), pruned above ``total``: n x k x total steps at
    most, where enumerating the combinations (20 of 40 rows: 1.4e11) would not end.
    """
    reach = [{0: ()}] + [{} for _ in range(k)]  # reach[j][s]: the first j rows, in list order, summing to s
    for row, size in items:
        for j in range(min(k, len(items)), 0, -1):
            for s, chosen in list(reach[j - 1].items()):
                if s + size <= total and s + size not in reach[j]:
                    reach[j][s + size] = chosen + (row,)
    return reach[k].get(total)


_EVERY = {"==": "equal to", "<=": "at most", "<": "below", ">=": "at least", ">": "above"}


def every(ctx: Context, params: dict) -> Recomputed:
    """A design number stated as a fact about every patient (a starting dose all received): each value of
    the column must stand in ``relation`` to some one value the printed number can stand for (exact)."""
    values = ctx.exact_values(params["table"], params["column"], params.get("subset"))
    relation = params["each"]
    low, high = min(values), max(values)

    def check(printed) -> Outcome:
        iv = printed.interval("half_up")
        if relation == "==":
            outside = [v for v in values if not iv.contains(v)]
            return Outcome(not outside, outside[0] if outside else low)
        if relation in ("<=", "<"):
            ok = high < iv.high or (high == iv.high and relation == "<=" and iv.high_closed)
            return Outcome(ok, high)
        ok = low > iv.low or (low == iv.low and relation == ">=" and iv.low_closed)
        return Outcome(ok, low)
    return Recomputed(None, f"every value of {params['table']}.{params['column']} ({describe.subset_label(params)}, n = "
                      f"{len(values)}, from {fmt_count(low)} to {fmt_count(high)}) {_EVERY[relation]} the printed "
                      "value", len(values), check=check)


_RELATIONS = {"<=": "at most", ">=": "at least", "==": "equal to"}


def contradiction(ctx: Context, params: dict) -> Recomputed:
    """Printed numbers that cannot all be true: the claim must stand in ``relation`` to each of the
    other printed ``claims`` (times ``scale``, which puts them in the claim's unit), for some values
    inside their rounding. Nothing is recomputed; ``why`` says why the relation must hold."""
    others = [(c, ctx.printed(c)) for c in params["claims"]]
    if ctx.claim_id in params["claims"]:
        ctx.fail("a contradiction compares the claim with other claims, not with itself")
    top, _, bottom = params.get("scale", "1").partition("/")
    scale = Fraction(Decimal(top)) / Fraction(Decimal(bottom or "1"))
    relation = params["relation"]

    def span(printed) -> tuple:
        iv = printed.interval("bound" if printed.kind == "bound" else "half_up")
        return (None if iv.low is None else Fraction(iv.low), None if iv.high is None else Fraction(iv.high))

    def check(printed) -> Outcome:
        low, high = span(printed)
        for _, other in others:
            o_low, o_high = (None if x is None else x * scale for x in span(other))
            below = low is None or o_high is None or low <= o_high  # some value is at most some other value
            above = high is None or o_low is None or high >= o_low
            if not {"<=": below, ">=": above, "==": below and above}[relation]:
                return Outcome(False, Fraction(other.value) * scale)
        return Outcome(True, Fraction(others[0][1].value) * scale)
    factor = f" x {params['scale']}" if "scale" in params else ""
    shown = ", ".join(f"{c} ({p.text}{factor})" for c, p in others)
    return Recomputed(None, f"printed value {_RELATIONS[relation]} the printed {shown}, within their rounding: "
                      f"{params['why']}", len(others), check=check)


def not_recomputable(ctx: Context, params: dict) -> None:
    """No evidence: the claim says why (``reason``), and names the ``statistic`` when the gap is the tool's."""
    if (params["reason"] == "vocabulary_lacks") != ("statistic" in params):
        ctx.fail("analysis 'not_recomputable' names the missing 'statistic' exactly when reason = "
                 "\"vocabulary_lacks\"")
    return None


def _ratio(x: Fraction) -> str:
    """A fraction as a message prints it: 16/5, or 3 when whole."""
    return str(x.numerator) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"


def fmt_count(x) -> str:
    """A count as a message prints it: 14, not 14.0 or 14/1; a fraction as its decimal."""
    return str(x.numerator) if x.denominator == 1 else format(exact.to_decimal(x), "f")


@dataclass(frozen=True)
class Param:
    """A parameter of the claims language: its type (what :meth:`problem` accepts) and its meaning."""

    type: str
    meaning: str
    choices: tuple = ()

    def problem(self, value) -> str | None:
        """Why ``value`` does not fit this parameter, or None."""
        if self.type == "name":
            ok = isinstance(value, str) and value.strip() != ""
            want = "a non-empty string"
        elif self.type == "key":
            ok = isinstance(value, (str, int)) and not isinstance(value, bool)
            want = "a row key (a string or a whole number)"
        elif self.type in ("keys", "names"):
            item = (str, int) if self.type == "keys" else (str,)
            ok = isinstance(value, list) and bool(value) and all(
                isinstance(v, item) and not isinstance(v, bool) for v in value)
            want = "a non-empty list of " + ("row keys" if self.type == "keys" else "strings")
        elif self.type == "reference":
            ok = isinstance(value, dict) and bool(value)
            want = "a reference table such as { table = \"t\", row = \"r\", column = \"events\" }"
        elif self.type == "references":
            ok = isinstance(value, dict) and bool(value) and all(isinstance(v, dict) for v in value.values())
            want = "a table of names, each a reference table such as { claim = \"id\" }"
        elif self.type == "where":
            ok = isinstance(value, dict)
            want = "a table {column, op, value}"
        elif self.type == "decimal":
            ok = isinstance(value, str) and _positive_decimal(value)
            want = 'a positive decimal written as a string, such as "1" or "0.01", of at most 20 digits from 1e-12 to 1e12'
        elif self.type == "ratio":
            ok = isinstance(value, str) and all(_positive_decimal(t) for t in value.split("/", 1))
            want = 'a positive decimal or ratio of decimals written as a string, such as "12" or "365.25/7"'
        elif self.type == "positive":
            ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and value > 0
            want = "a positive number"
        elif self.type == "whole":
            ok = isinstance(value, int) and not isinstance(value, bool) and value >= 1
            want = "a whole number of at least 1"
        elif self.type == "probability":
            ok = isinstance(value, str) and _positive_decimal(value) and Decimal(value) < 1 or value in ("0", "1")
            want = 'a probability from 0 to 1 written as a string, such as "0.25"'
        elif self.type == "signed":
            ok = isinstance(value, str) and _decimal(value)
            want = 'a decimal written as a string, such as "0" or "-1.5"'
        elif self.type == "number":
            ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
            want = "a finite number"
        else:  # choice
            ok = value in self.choices and not isinstance(value, bool)
            want = "one of " + ", ".join(map(str, self.choices))
        return None if ok else f"must be {want}, got {value!r}"


def _decimal(text: str) -> bool:
    """A finite decimal of at most 20 digits between 1e-12 and 1e12 in size (or 0): exact arithmetic on anything
    larger or finer (``1e-999999999``) would run without bound."""
    try:
        d = Decimal(text)
    except InvalidOperation:
        return False
    return d.is_finite() and len(d.as_tuple().digits) <= 20 and (d == 0 or -12 <= d.adjusted() <= 12)


def _positive_decimal(text: str) -> bool:
    return _decimal(text) and Decimal(text) > 0


PARAMS = {
    "table": Param("name", "a table (resource name) of the paper's datapackage"),
    "column": Param("name", "a column of that table"),
    "subset": Param("name", "a [[subset]] of the claims file; all rows when absent"),
    "where": Param("where", "a row condition: { column, op, value } with a literal of the column's type, "
                            "{ column, op, other } with another column, { column, op = \"has_value\" }, or all / any / not "
                            "of conditions (see reanalysis/conditions.py)"),
    "convert": Param("choice", "a unit conversion applied to the result", tuple(describe.CONVERSIONS)),
    "comparison": Param("name", "a [[comparison]] of the claims file"),
    "row": Param("key", "a row key (the table's one-field primary key)"),
    "rows": Param("keys", "row keys"),
    "bound": Param("names", "two columns of the same row: the bound is the first minus the second"),
    "why": Param("name", "why the bound holds, in words"),
    "granularity": Param("decimal", "the step of the underlying values (1 for whole numbers)"),
    "items": Param("whole", "the number of items averaged into each value of a multi-item scale (default 1)"),
    "n": Param("reference", "the number of values or patients, as a reference: the rows of a table { table = \"t\", "
                            "rows = true }, a count cell { table, row, column }, or { value = \"14\" }"),
    "claims": Param("names", "other claims whose printed values are used"),
    "end": Param("choice", "which end of the printed range the claim is", ("low", "high")),
    "floor": Param("number", "the variable's lower limit, when no range is printed (a whole number for the "
                             "reconstructions, which also never look farther from the mean than SD (n - 1) / sqrt(n) "
                             "and say which limit they used; in reconstruct_mark it bounds the rows without a range)"),
    "ceiling": Param("number", "the variable's upper limit, when no range is printed (105 for SLEDAI-2K; as 'floor')"),
    "baseline_row": Param("key", "the summary row of the same variable at baseline"),
    "method": Param("choice", "the test or interval", stats.TWO_BY_TWO),
    "k_claim": Param("name", "the claim that prints the number of trials"),
    "total_claim": Param("name", "the claim that prints the number of patients"),
    "relation": Param("choice", "how the claim must stand to the other claims", tuple(_RELATIONS)),
    "each": Param("choice", "how each value must stand to the printed value", tuple(_EVERY)),
    "scale": Param("ratio", "the factor that puts the other claims' values in this claim's unit (default 1)"),
    "denominator": Param("choice", "the variance's denominator: n-1 (the sample SD, R's sd; default) or n",
                         tuple(describe.DDOF)),
    "prob": Param("probability", "the quantile's probability, written as a string (\"0.25\")"),
    "type": Param("choice", "R's quantile type, 1 to 9 (default 7, R's default)", tuple(range(1, 10))),
    "contrast": Param("name", "a [[contrast]] of the claims file: the two groups compared"),
    "variance": Param("choice", "equal: Student's t-test (pooled variance, R: var.equal = TRUE); welch: Welch's "
                                "(R's default)", ("equal", "welch")),
    "alternative": Param("choice", "the test's alternative (default two-sided, as R's)", inference.ALTERNATIVES),
    "mu": Param("signed", "the hypothesised mean (default \"0\")"),
    "result": Param("choice", "which number of the result the claim prints (a statistic, df, an estimate or a CI end)",
                    testing.T_RESULTS),
    "other": Param("name", "a second column of the same table"),
    "expression": Param("name", "an arithmetic expression of the names in 'of': numbers, names, + - * / and "
                                "parentheses, computed exactly"),
    "numerator": Param("reference", "the count a percentage is of (a reference, as in arithmetic's 'of')"),
    "total": Param("reference", "the count it is among (a reference)"),
    "of": Param("references", "what each name of the expression stands for: { claim }, { table, row, column }, "
                              "{ table, column, statistic }, { table, rows = true }, or { value } (see "
                              "reanalysis/arithmetic.py)"),
    "columns": Param("names", "columns of a count table: with 'rows', the r x c table of counts"),
    "test": Param("choice", "the test of the table", ("chi_square", "fisher", "mcnemar")),
    "correction": Param("choice", "continuity correction: none, or continuity (Yates for a 2x2 chi-square, "
                                  "Edwards for McNemar); default none", ("none", "continuity")),
    "statistic_claim": Param("name", "the claim that prints the test statistic"),
    "df": Param("positive", "degrees of freedom (for r: n - 2)"),
    "df2": Param("positive", "the second degrees of freedom of an F test"),
    "sides": Param("choice", "a one- or two-sided test", ("one", "two")),
    "missing": Param("choice", "\"available\": use only the rows that have a value (missing cells are otherwise an "
                               "error); the n used is reported", ("available",)),
    "reason": Param("choice", "why the number is not recomputed: the source lacks the data, or the vocabulary lacks "
                              "the statistic", tuple(r for r in REASONS if r != "check_cannot_fail")),
    "statistic": Param("name", "the statistic the vocabulary lacks, in a few words (with reason = vocabulary_lacks)"),
}
# Where one name takes other choices in one analysis.
_OWN_CHOICES = {
    ("table_test", "result"): testing.TABLE_RESULTS,
    ("odds_ratio", "result"): testing.RATIO_RESULTS,
    ("correlation", "method"): ("pearson", "spearman"),
    ("correlation_p", "method"): ("pearson", "spearman"),
    ("odds_ratio", "method"): ("woolf", "conditional"),
    ("proportion_ci", "result"): ("ci_low", "ci_high"),
    ("proportion_ci", "method"): tuple(testing.CI_METHODS),
    ("p_from_statistic", "test"): statcheck.PRINTED_TESTS,
    ("tail_odds", "test"): ("t", "z"),
    ("risk_difference", "method"): ("wald", "newcomb"),
    ("rr_centre", "result"): _RATIO_PARTS,
    ("risk_difference", "result"): _RATIO_PARTS,
}


_COUNT, _PERCENT, _P, _SD, _ANY, _DIFF = (0, None), (0, 100), (0, 1), (0, None), (None, None), (-100, 100)

ANALYSES = {
    "count": Analysis(count, "value", _COUNT, ("table",), ("subset", "where")),
    "percent": Analysis(percent, "value", _PERCENT, (), ("table", "subset", "where", "numerator", "total")),
    "mean": Analysis(describe.statistic("mean"), "value", _ANY, ("table", "column"), ("subset", "convert", "missing")),
    "sd": Analysis(describe.statistic("sd"), "value", _SD, ("table", "column"), ("subset", "convert", "missing", "denominator")),
    "variance": Analysis(describe.statistic("variance"), "value", _SD, ("table", "column"), ("subset", "missing", "denominator")),
    "se": Analysis(describe.statistic("se"), "value", _SD, ("table", "column"), ("subset", "convert", "missing", "denominator")),
    "min": Analysis(describe.statistic("min"), "value", _ANY, ("table", "column"), ("subset", "convert", "missing")),
    "max": Analysis(describe.statistic("max"), "value", _ANY, ("table", "column"), ("subset", "convert", "missing")),
    "median": Analysis(describe.statistic("median"), "value", _ANY, ("table", "column"), ("subset", "convert", "missing")),
    "quantile": Analysis(describe.statistic("quantile"), "value", _ANY, ("table", "column", "prob"),
                         ("subset", "convert", "missing", "type")),
    "iqr": Analysis(describe.statistic("iqr"), "value", _SD, ("table", "column"), ("subset", "convert", "missing", "type")),
    "paired_t_p": Analysis(paired_t_p, "p_value", _P, ("comparison",), ("mu", "alternative")),
    "paired_t": Analysis(testing.paired_t, "value", _ANY, ("comparison", "result"), ("mu", "alternative")),
    "correlation": Analysis(testing.correlation, "value", (-1, 1), ("table", "column", "other", "method"),
                            ("subset", "alternative", "missing")),
    "correlation_p": Analysis(testing.correlation_p, "p_value", _P, ("table", "column", "other", "method"),
                              ("subset", "alternative", "missing")),
    "cell_at_most": Analysis(cell_at_most, "bound", _COUNT, ("table", "row", "bound"), summary=True),
    "cell": Analysis(cell, "value", _ANY, ("table", "row", "column")),
    "at_most_cell": Analysis(at_most_cell, "bound", _COUNT, ("table", "row", "column", "why"), summary=True),
    "grim_mean": Analysis(grim_mean, "check", _ANY, ("granularity", "n"), ("items",), summary=True),
    "range_contains_mean": Analysis(range_contains_mean, "check", _ANY, ("table", "row", "end"), summary=True),
    "summary_value": Analysis(summary_value, "value", _ANY, ("table", "row", "column"), summary=True),
    "grimmer_sd": Analysis(grimmer_sd, "check", _SD, ("table", "row", "n"), summary=True),
    "reconstruct_mean": Analysis(samples.reconstruct_mean, "check", _ANY, ("table", "row", "n"), ("floor", "ceiling"),
                                 summary=True),
    "reconstruct_sd": Analysis(samples.reconstruct_sd, "check", _SD, ("table", "row", "n"), ("floor", "ceiling"),
                               summary=True),
    "reconstruct_range": Analysis(samples.reconstruct_range, "check", _ANY, ("table", "row", "n", "end"),
                                  ("floor", "ceiling"), summary=True),
    "reconstruct_mark": Analysis(samples.reconstruct_mark, "check", _P, ("table", "row", "baseline_row", "n"),
                                 ("floor", "ceiling"), summary=True),
    "debit_sd": Analysis(debit_sd, "check", _SD, ("table", "row", "n"), summary=True),
    "sd_feasible": Analysis(sd_feasible, "check", _SD, ("table", "row", "n"), ("floor",), summary=True),
    "paired_mark": Analysis(paired_mark, "check", _P, ("table", "row", "baseline_row", "n"), summary=True),
    "percent_attainable": Analysis(percent_attainable, "check", _PERCENT, ("n",), summary=True),
    "two_by_two_p": Analysis(two_by_two_p, "p_value", _P, ("contrast", "method")),
    "risk_difference": Analysis(risk_difference, "value", _DIFF, ("contrast", "method", "result")),
    "rr_centre": Analysis(rr_centre, "check", (0, None), ("table", "row", "result"), summary=True),
    "subset_total": Analysis(subset_total, "check", _COUNT, ("table", "rows", "k_claim", "total_claim"), summary=True),
    "every": Analysis(every, "check", _ANY, ("table", "column", "each"), ("subset",)),
    "contradiction": Analysis(contradiction, "contradiction", _ANY, ("claims", "relation", "why"), ("scale",), summary=True),
    "two_sample_t_p": Analysis(testing.two_sample_t_p, "p_value", _P, ("contrast", "column", "variance"),
                               ("alternative", "missing")),
    "two_sample_t": Analysis(testing.two_sample_t, "value", _ANY, ("contrast", "column", "variance", "result"),
                             ("alternative", "missing")),
    "one_sample_t_p": Analysis(testing.one_sample_t_p, "p_value", _P, ("table", "column"),
                               ("subset", "mu", "alternative", "missing")),
    "one_sample_t": Analysis(testing.one_sample_t, "value", _ANY, ("table", "column", "result"),
                             ("subset", "mu", "alternative", "missing")),
    "rank_sum_p": Analysis(testing.rank_sum_p, "p_value", _P, ("contrast", "column"), ("alternative", "missing")),
    "rank_sum_w": Analysis(testing.rank_sum_w, "value", _COUNT, ("contrast", "column"), ("alternative", "missing")),
    "table_test_p": Analysis(testing.table_test_p, "p_value", _P, ("test",),
                             ("table", "rows", "columns", "contrast", "where", "correction")),
    "table_test": Analysis(testing.table_test, "value", _COUNT, ("test", "result"),
                           ("table", "rows", "columns", "contrast", "where", "correction")),
    "odds_ratio": Analysis(testing.odds_ratio, "value", (0, None), ("method", "result"),
                           ("table", "rows", "columns", "contrast", "where")),
    "proportion_ci": Analysis(testing.proportion_ci, "value", _PERCENT, ("table", "row", "method", "result")),
    "t_from_summaries": Analysis(testing.t_from_summaries, "check", _P, ("contrast", "variance"), summary=True),
    "p_from_statistic": Analysis(testing.p_from_statistic, "check", _P, ("statistic_claim", "test"),
                                 ("df", "df2", "sides"), summary=True),
    "tail_odds": Analysis(testing.tail_odds, "check", (0, None), ("statistic_claim", "test"), ("df", "sides"),
                          summary=True),
    "arithmetic": Analysis(arithmetic.arithmetic, "value", _ANY, ("expression", "of")),
    "not_recomputable": Analysis(not_recomputable, "none", _ANY, ("reason",), ("statistic",)),
}


def check_params(ctx: Context, analysis: str, params: dict) -> Analysis:
    """The named analysis, after checking that ``params`` has exactly the keys it takes, each of its type."""
    if analysis not in ANALYSES:
        ctx.fail(f"unknown analysis {analysis!r}; known: {', '.join(sorted(ANALYSES))}")
    spec = ANALYSES[analysis]
    for key in spec.required:
        if key not in params:
            ctx.fail(f"analysis {analysis!r} needs parameter {key!r}")
    extra = set(params) - set(spec.required) - set(spec.optional)
    if extra:
        ctx.fail(f"analysis {analysis!r} does not take parameter {sorted(extra)[0]!r}; it takes "
                 f"{', '.join(spec.required + spec.optional) or 'none'}")
    for key, value in params.items():
        problem = param(analysis, key).problem(value)
        if problem:
            ctx.fail(f"analysis {analysis!r}, parameter {key!r} ({PARAMS[key].meaning}) {problem}")
    return spec


def param(analysis: str, key: str) -> Param:
    """The parameter ``key`` as ``analysis`` takes it (with the choices of its own where it has them)."""
    found = PARAMS[key]
    if (analysis, key) in _OWN_CHOICES:
        return Param(found.type, found.meaning, _OWN_CHOICES[analysis, key])
    return found


def recompute(ctx: Context, analysis: str, params: dict) -> Recomputed | None:
    """Run ``analysis``; None for ``not_recomputable``."""
    spec = check_params(ctx, analysis, params)
    try:
        return spec.function(ctx, params)
    except ValueError as e:  # a statistic refused its input (a count above its denominator, ...)
        ctx.fail(f"analysis {analysis!r}: {e}")
