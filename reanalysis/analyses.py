"""The analyses a claim can name, each recomputing one number from a paper's datasets.

An analysis is a function ``(context, params) -> Recomputed``. :data:`ANALYSES` maps each
name to its function and the parameters it takes, so a claims file is checked before anything
is computed. Adding a paper needs no code here unless it needs a new kind of statistic.
"""

from __future__ import annotations

import itertools
import math
import operator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Callable

import numpy as np

from reanalysis import rounding, stats
from reanalysis.claims import Comparison, PaperClaims
from reanalysis.datasets import Dataset
from reanalysis.errors import ClaimError

_OPS = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
        "in": lambda col, values: col.isin(values)}
_CONVERSIONS = {"months_to_years": (1 / 12, "months / 12")}


@dataclass(frozen=True)
class Recomputed:
    """A value recomputed from the data, with the exact method and the rows it used.

    ``summary_level`` marks values that rest on other printed numbers or only bound the printed
    value: they can make a claim ``consistent``, never ``reproduced``. ``upper_bound`` marks a
    recomputed maximum that the printed value must not exceed.
    """

    value: float
    method: str
    n: int
    summary_level: bool = False
    upper_bound: bool = False
    feasible: bool | None = None


@dataclass(frozen=True)
class PairedData:
    """The before and after values of one paired comparison, in patient order."""

    comparison: Comparison
    keys: tuple
    before: tuple
    after: tuple


class Context:
    """Resolves tables, subsets, columns and other claims for one paper; raises ClaimError on bad references."""

    def __init__(self, dataset: Dataset, paper: PaperClaims, claim_id: str):
        self.dataset, self.paper, self.claim_id = dataset, paper, claim_id

    def fail(self, message: str):
        raise ClaimError(f"{self.paper.path}, claim {self.claim_id!r}: {message}")

    def table(self, name: str):
        if name not in self.dataset.tables:
            self.fail(f"unknown table {name!r}; the datapackage has {', '.join(self.dataset.tables)}")
        return self.dataset.tables[name]

    def rows(self, table: str, subset: str | None):
        """The rows of ``table`` in ``subset`` (all rows when None), matched through the primary key."""
        t = self.table(table)
        frame = t.frame
        if subset is None:
            return frame
        if subset not in self.paper.subsets:
            self.fail(f"unknown subset {subset!r}; declared: {', '.join(self.paper.subsets) or 'none'}")
        s = self.paper.subsets[subset]
        source = self.table(s.table)
        self.column_name(s.table, s.column)
        keep = source.frame[source.frame[s.column] == s.equals]
        if s.table == table:
            return frame.loc[keep.index]
        if not t.primary_key or tuple(t.primary_key) != tuple(source.primary_key):
            self.fail(f"subset {subset!r} is defined on table {s.table!r}, which shares no primary key with {table!r}")
        key = list(t.primary_key)
        return frame.merge(keep[key], on=key, how="inner")

    def column_name(self, table: str, column: str) -> str:
        if column not in self.table(table).fields:
            self.fail(f"table {table!r} has no column {column!r}")
        return column

    def values(self, table: str, column: str, subset: str | None) -> np.ndarray:
        """A numeric column over a subset; missing cells are an error, never silently dropped."""
        rows = self.rows(table, subset)
        col = rows[self.column_name(table, column)]
        if self.table(table).fields[column]["type"] not in ("integer", "number"):
            self.fail(f"column {table}.{column} is not numeric")
        if col.isna().any():
            self.fail(f"column {table}.{column} has missing cells in subset {subset or 'all rows'}; "
                      "choose a subset without them")
        return col.to_numpy(dtype=float)

    def paired(self, comparison_id: str) -> PairedData:
        if comparison_id not in self.paper.comparisons:
            self.fail(f"unknown comparison {comparison_id!r}")
        c = self.paper.comparisons[comparison_id]
        before = self.values(c.table, c.before, c.subset)
        after = self.values(c.table, c.after, c.subset)
        key = self.table(c.table).primary_key
        keys = tuple(self.rows(c.table, c.subset)[key[0]].tolist()) if key else ()
        return PairedData(c, keys, tuple(before.tolist()), tuple(after.tolist()))

    def printed(self, claim_id: str):
        for claim in self.paper.claims:
            if claim.id == claim_id:
                return claim.printed
        self.fail(f"refers to unknown claim {claim_id!r}")


@dataclass(frozen=True)
class Analysis:
    function: Callable
    required: tuple
    optional: tuple = ()


def _where(ctx: Context, params: dict):
    rows = ctx.rows(params["table"], params.get("subset"))
    cond = params.get("where")
    if cond is None:
        return rows, rows, "all rows"
    if not isinstance(cond, dict) or set(cond) != {"column", "op", "value"} or cond["op"] not in _OPS:
        ctx.fail(f"'where' must be {{column, op, value}} with op among {' '.join(_OPS)}")
    if cond["op"] == "in":
        if not isinstance(cond["value"], list):
            ctx.fail("'where' with op 'in' needs a list of values")
        other, label = cond["value"], repr(cond["value"])
    elif cond["value"] in ctx.table(params["table"]).fields:
        other = rows[cond["value"]]
        label = cond["value"]
    else:
        other, label = cond["value"], repr(cond["value"])
    col = rows[ctx.column_name(params["table"], cond["column"])]
    if col.isna().any() or (isinstance(other, type(col)) and other.isna().any()):
        ctx.fail(f"condition on {cond['column']} meets missing cells; choose a subset without them")
    mask = _OPS[cond["op"]](col, other)
    return rows[mask], rows, f"{cond['column']} {cond['op']} {label}"


def _subset_label(params: dict) -> str:
    return f"subset '{params['subset']}'" if params.get("subset") else "all rows"


def count(ctx: Context, params: dict) -> Recomputed:
    selected, rows, cond = _where(ctx, params)
    return Recomputed(float(len(selected)), f"count of rows of {params['table']} ({_subset_label(params)}) "
                      f"where {cond}", len(rows))


def percent(ctx: Context, params: dict) -> Recomputed:
    selected, rows, cond = _where(ctx, params)
    ci = stats.clopper_pearson(len(selected), len(rows))
    return Recomputed(100 * ci.estimate, f"percentage {ci.k}/{ci.n} x 100 of rows of {params['table']} "
                      f"({_subset_label(params)}) where {cond}; {ci.method}: {100 * ci.ci_low:.1f}% to "
                      f"{100 * ci.ci_high:.1f}%", ci.n)


def _describe(name: str, attr: str, label: str) -> Analysis:
    def run(ctx: Context, params: dict) -> Recomputed:
        x = ctx.values(params["table"], params["column"], params.get("subset"))
        value = getattr(stats.describe(x), attr)
        method = f"{label} of {params['table']}.{params['column']} ({_subset_label(params)}, n = {x.size})"
        conversion = params.get("convert")
        if conversion is not None:
            if conversion not in _CONVERSIONS:
                ctx.fail(f"unknown conversion {conversion!r}; known: {', '.join(_CONVERSIONS)}")
            factor, text = _CONVERSIONS[conversion]
            value, method = value * factor, f"{method}, converted as {text}"
        return Recomputed(value, method, int(x.size))
    run.__name__ = name
    return Analysis(run, ("table", "column"), ("subset", "convert"))


def paired_t_p(ctx: Context, params: dict) -> Recomputed:
    data = ctx.paired(params["comparison"])
    res = stats.paired_t(data.before, data.after)
    return Recomputed(res.p_value, f"{res.method}; t = {res.statistic:.4f}, df = {res.df}, "
                      f"{data.comparison.label}", res.n)


def remainder(ctx: Context, params: dict) -> Recomputed:
    rows = ctx.rows(params["table"], params.get("subset"))
    others = params["minus"]
    if not isinstance(others, list) or not others:
        ctx.fail("'minus' must list the claim ids whose printed counts are subtracted")
    taken = [ctx.printed(o) for o in others]
    value = len(rows) - sum(float(p.value) for p in taken)
    return Recomputed(value, f"{len(rows)} rows of {params['table']} ({_subset_label(params)}) minus printed "
                      + " + ".join(p.text for p in taken), len(rows), summary_level=True)


def cell_at_most(ctx: Context, params: dict) -> Recomputed:
    """The largest value a cell can take: one column minus another, in the same row."""
    t = ctx.table(params["table"])
    key = t.primary_key[0] if t.primary_key else None
    if key is None:
        ctx.fail(f"table {params['table']!r} has no primary key to find row {params['row']!r}")
    row = t.frame[t.frame[key] == params["row"]]
    if len(row) != 1:
        ctx.fail(f"table {params['table']!r} has no row with {key} = {params['row']!r}")
    minuend, subtrahend = params["bound"]
    value = float(row[ctx.column_name(params["table"], minuend)].iloc[0]) - float(
        row[ctx.column_name(params["table"], subtrahend)].iloc[0])
    return Recomputed(value, f"upper bound {minuend} - {subtrahend} of {key} {params['row']}", 1,
                      summary_level=True, upper_bound=True)


def _cell(ctx: Context, table: str, key, column: str) -> float:
    t = ctx.table(table)
    if len(t.primary_key) != 1:
        ctx.fail(f"table {table!r} needs a one-field primary key to find row {key!r}")
    name = t.primary_key[0]
    row = t.frame[t.frame[name] == key]
    if len(row) != 1:
        ctx.fail(f"table {table!r} has no row with {name} = {key!r}")
    value = row[ctx.column_name(table, column)].iloc[0]
    if value is None or value != value:
        ctx.fail(f"cell {table}.{column} of row {key!r} is missing")
    return float(value)


def cell(ctx: Context, params: dict) -> Recomputed:
    """The same count printed elsewhere: one cell, transcribed from a different sentence than the claim."""
    value = _cell(ctx, params["table"], params["row"], params["column"])
    return Recomputed(value, f"{params['table']}.{params['column']} of row {params['row']!r}", 1)


def row_sum(ctx: Context, params: dict) -> Recomputed:
    rows = _key_list(ctx, params, "rows")
    values = [_cell(ctx, params["table"], k, params["column"]) for k in rows]
    return Recomputed(sum(values), f"sum of {params['table']}.{params['column']} over rows "
                      + " + ".join(f"{k!r} ({fmt_count(v)})" for k, v in zip(rows, values)), len(rows))


def row_difference(ctx: Context, params: dict) -> Recomputed:
    minus = _key_list(ctx, params, "minus")
    total = _cell(ctx, params["table"], params["row"], params["column"])
    values = [_cell(ctx, params["table"], k, params["column"]) for k in minus]
    return Recomputed(total - sum(values), f"{params['table']}.{params['column']} of row {params['row']!r} "
                      f"({fmt_count(total)}) minus " + " + ".join(f"{k!r} ({fmt_count(v)})" for k, v in zip(minus, values)),
                      1 + len(minus))


def at_most_cell(ctx: Context, params: dict) -> Recomputed:
    """A subset cannot exceed its set: the printed count must be at most another cell."""
    value = _cell(ctx, params["table"], params["row"], params["column"])
    return Recomputed(value, f"upper bound {params['table']}.{params['column']} of row {params['row']!r} "
                      f"({params['why']})", 1, summary_level=True, upper_bound=True)


def grim_mean(ctx: Context, params: dict) -> Recomputed:
    if "n" in params:
        n_value = float(params["n"])
    elif "n_rows_of" in params:
        n_value = float(_n(ctx, params))
    elif {"table", "row", "column"} <= set(params):
        n_value = _cell(ctx, params["table"], params["row"], params["column"])
    else:
        ctx.fail("grim_mean needs n: either 'n_rows_of' or 'table', 'row' and 'column' of a count")
    if not float(n_value).is_integer():
        ctx.fail(f"GRIM needs a whole n; {params['table']}.{params['column']} of row {params['row']!r} is {n_value}")
    n = int(n_value)
    try:
        step = Decimal(params["granularity"])
    except (InvalidOperation, TypeError):
        ctx.fail(f"granularity must be a decimal string such as \"1\" or \"0.01\", got {params['granularity']!r}")
    printed = ctx.printed(ctx.claim_id)
    mean = stats.grim(printed, n, step)
    places = printed.places
    informative = n * 10 ** (-places) < step
    method = (f"GRIM: means of n = {n} values in steps of {step} are multiples of {step}/{n}; "
              + ("" if informative else f"uninformative, every mean to {places} decimals is attainable with "
                 f"n >= {(step * 10 ** places).normalize():f}; "))
    if mean is None:
        grid = Fraction(step) / n
        nearest = round(Fraction(printed.value) / grid) * grid
        rule = printed.match(float(nearest))
        return Recomputed(float(nearest), method + f"no attainable mean rounds half up to {printed.text}; nearest "
                          f"{nearest.numerator}/{nearest.denominator}"
                          + (f" (which gives {printed.text} only under {rounding.RULE_NAMES[rule]})" if rule else ""),
                          n, summary_level=True, feasible=False)
    return Recomputed(float(mean), method + f"attainable mean {mean.numerator}/{mean.denominator}", n,
                      summary_level=True, feasible=True)


def _printed_cell(ctx: Context, table: str, key, column: str):
    """A summary cell kept as printed text, parsed by the rounding engine."""
    t = ctx.table(table)
    name = t.primary_key[0]
    row = t.frame[t.frame[name] == key]
    if len(row) != 1:
        ctx.fail(f"table {table!r} has no row with {name} = {key!r}")
    text = row[ctx.column_name(table, column)].iloc[0]
    if not isinstance(text, str) or not text:
        ctx.fail(f"cell {table}.{column} of row {key!r} is empty")
    try:
        return rounding.parse(text)
    except ValueError as e:
        ctx.fail(f"cell {table}.{column} of row {key!r}: {e}")


def _n(ctx: Context, params: dict) -> int:
    return len(ctx.table(params["n_rows_of"]).frame)


def summary_value(ctx: Context, params: dict) -> Recomputed:
    """The same quantity printed in another place (another table, the abstract): must agree."""
    other = _printed_cell(ctx, params["table"], params["row"], params["column"])
    return Recomputed(float(other.value), f"printed {other.text} in {params['table']}.{params['column']} of row "
                      f"{params['row']!r}", 1, summary_level=True)


def summary_percent(ctx: Context, params: dict) -> Recomputed:
    """A printed percentage against the printed count it belongs to and the number of patients."""
    count = _printed_cell(ctx, params["table"], params["row"], "count")
    n = _n(ctx, params)
    ci = stats.clopper_pearson(int(count.value), n)
    return Recomputed(100 * ci.estimate, f"percentage {ci.k}/{n} x 100 from the printed count ({params['table']} "
                      f"row {params['row']!r}) and the {n} rows of {params['n_rows_of']}; {ci.method}: "
                      f"{100 * ci.ci_low:.1f}% to {100 * ci.ci_high:.1f}%", n)


def grimmer_sd(ctx: Context, params: dict) -> Recomputed:
    mean = _printed_cell(ctx, params["table"], params["row"], "mean")
    sd, n = ctx.printed(ctx.claim_id), _n(ctx, params)
    found = stats.grimmer(mean, sd, n)
    method = f"GRIMMER for whole-number data, n = {n}, mean {mean.text}, SD {sd.text}, both rounded half up"
    if found is None:
        return Recomputed(float(sd.value), method + "; no whole sum and sum of squares give both", n,
                          summary_level=True, feasible=False)
    total, squares = found
    value = math.sqrt((squares - total * total / n) / (n - 1))
    return Recomputed(value, method + f"; attainable with sum {total} and sum of squares {squares}", n,
                      summary_level=True, feasible=True)


def sd_feasible(ctx: Context, params: dict) -> Recomputed:
    mean = _printed_cell(ctx, params["table"], params["row"], "mean")
    sd, n = ctx.printed(ctx.claim_id), _n(ctx, params)
    t = ctx.table(params["table"]).frame
    row = t[t[ctx.table(params["table"]).primary_key[0]] == params["row"]].iloc[0]
    if "range_low" in row and row["range_low"]:
        low = _printed_cell(ctx, params["table"], params["row"], "range_low")
        high = _printed_cell(ctx, params["table"], params["row"], "range_high")
        smallest, largest = stats.sd_limits(mean, n, low, high)
        given = f"mean {mean.text}, range {low.text} to {high.text}"
    else:
        if "floor" not in params:
            ctx.fail("without a printed range, sd_feasible needs a 'floor' (the variable's lower limit)")
        smallest, largest = stats.sd_limits(mean, n, floor=params["floor"])
        given = f"mean {mean.text}, values at least {params['floor']}"
    iv = sd.interval("half_up")
    ok = float(iv.low) <= largest and float(iv.high) >= smallest
    return Recomputed(largest, f"SD limits for n = {n} values with {given} (Bhatia-Davis upper bound, all "
                      f"printed values within their rounding): {smallest:.4g} to {largest:.4g}", n,
                      summary_level=True, feasible=ok)


def paired_mark(ctx: Context, params: dict) -> Recomputed:
    t, n = params["table"], _n(ctx, params)
    cells = [_printed_cell(ctx, t, r, c) for r in (params["baseline_row"], params["row"]) for c in ("mean", "sd")]
    lo, hi = params["p_at_least"], params["p_below"]
    r_range = stats.mark_correlations(*cells, n, lo, hi)
    method = (f"paired t-test from summaries, n = {n}, df = {n - 1}, baseline {cells[0].text} ({cells[1].text}) vs "
              f"{cells[2].text} ({cells[3].text}), means and SDs within their rounding, p in [{lo}, {hi}) "
              "(scipy.stats.t; R: 2 * pt(-abs(t), n - 1)); a Wilcoxon test cannot be checked from summaries")
    if r_range is None:
        return Recomputed(float("nan"), method + "; no within-patient correlation r in [-1, 1] gives it", n,
                          summary_level=True, feasible=False)
    text = "every r in [-1, 1]" if r_range == (-1.0, 1.0) else f"only r in [{r_range[0]}, {r_range[1]}]"
    return Recomputed(r_range[0], method + f"; holds for {text}", n, summary_level=True, feasible=True)


def percent_of_claim(ctx: Context, params: dict) -> Recomputed:
    """A printed percentage against a count printed beside it (another claim) and the number of patients."""
    count = ctx.printed(params["claim"])
    n = _n(ctx, params)
    if count.kind != "number" or count.value != int(count.value):
        ctx.fail(f"claim {params['claim']!r} is not a whole count")
    ci = stats.clopper_pearson(int(count.value), n)
    return Recomputed(100 * ci.estimate, f"percentage {ci.k}/{n} x 100 from the printed count ({params['claim']}) "
                      f"and the {n} rows of {params['n_rows_of']}; {ci.method}: {100 * ci.ci_low:.1f}% to "
                      f"{100 * ci.ci_high:.1f}%", n)


def range_contains_mean(ctx: Context, params: dict) -> Recomputed:
    """A printed range end must not lie beyond the printed mean (min <= mean <= max)."""
    if params["end"] not in ("low", "high"):
        ctx.fail("'end' must be 'low' or 'high'")
    mean = _printed_cell(ctx, params["table"], params["row"], "mean")
    end = ctx.printed(ctx.claim_id)
    m, e = mean.interval("half_up"), end.interval("half_up")
    ok = float(e.low) <= float(m.high) if params["end"] == "low" else float(e.high) >= float(m.low)
    return Recomputed(float(mean.value), f"the range's {params['end']} end against the printed mean {mean.text} "
                      f"({'minimum <= mean' if params['end'] == 'low' else 'maximum >= mean'})", 1,
                      summary_level=True, feasible=ok)


def _arm(ctx: Context, table: str, row: str) -> tuple[int, int]:
    k, n = _cell(ctx, table, row, "events"), _cell(ctx, table, row, "n")
    if not (k.is_integer() and n.is_integer()):
        ctx.fail(f"row {row!r} of {table!r} does not hold whole counts")
    return int(k), int(n)


def arm_percent(ctx: Context, params: dict) -> Recomputed:
    """A printed percentage against its arm's events and n."""
    k, n = _arm(ctx, params["table"], params["row"])
    ci = stats.clopper_pearson(k, n)
    return Recomputed(100 * ci.estimate, f"percentage {k}/{n} x 100 ({params['table']} row {params['row']!r}); "
                      f"{ci.method}: {100 * ci.ci_low:.1f}% to {100 * ci.ci_high:.1f}%", n)


def percent_attainable(ctx: Context, params: dict) -> Recomputed:
    """Whether any whole count k out of n gives the printed percentage (when k is not printed)."""
    n = int(params["n"]) if "n" in params else int(_cell(ctx, params["table"], params["row"], params["column"]))
    printed = ctx.printed(ctx.claim_id)
    best = min(range(n + 1), key=lambda k: abs(100 * k / n - float(printed.value)))
    hits = [k for k in range(n + 1) if printed.interval("half_up").contains(100 * k / n)]
    method = f"percentages k/{n} x 100 for whole k = 0..{n}, rounded half up"
    if hits:
        return Recomputed(100 * hits[0] / n, method + f"; attainable with k = {', '.join(map(str, hits))}", n,
                          summary_level=True, feasible=True)
    return Recomputed(100 * best / n, method + f"; none prints as {printed.text} (nearest {best}/{n})", n,
                      summary_level=True, feasible=False)


def two_by_two_p(ctx: Context, params: dict) -> Recomputed:
    """A printed two-arm p-value recomputed from the arms' counts by one named 2x2 test."""
    (k1, n1), (k2, n2) = _arm(ctx, params["table"], params["row_a"]), _arm(ctx, params["table"], params["row_b"])
    res = stats.two_by_two(k1, n1, k2, n2, params["method"])
    return Recomputed(res.p_value, f"{res.method}; {k1}/{n1} vs {k2}/{n2}", n1 + n2)


def risk_difference(ctx: Context, params: dict) -> Recomputed:
    (k1, n1), (k2, n2) = _arm(ctx, params["table"], params["row_a"]), _arm(ctx, params["table"], params["row_b"])
    res = stats.risk_difference(k1, n1, k2, n2, params["method"])
    part = params["part"]
    if part not in ("estimate", "low", "high"):
        ctx.fail("'part' must be estimate, low or high")
    value = {"estimate": res.estimate, "low": res.ci_low, "high": res.ci_high}[part]
    return Recomputed(100 * value, f"{res.method}, in percentage points; {k1}/{n1} vs {k2}/{n2}: "
                      f"{100 * res.estimate:.2f} ({100 * res.ci_low:.2f} to {100 * res.ci_high:.2f})", n1 + n2)


def rr_centre(ctx: Context, params: dict) -> Recomputed:
    """A published ratio must sit at the centre of its CI on the log scale (within the printed rounding)."""
    est, low, high = (_printed_cell(ctx, params["table"], params["row"], c) for c in ("estimate", "ci_low", "ci_high"))
    lo_iv, hi_iv, est_iv = low.interval("half_up"), high.interval("half_up"), est.interval("half_up")
    smallest = math.sqrt(float(lo_iv.low) * float(hi_iv.low))
    largest = math.sqrt(float(lo_iv.high) * float(hi_iv.high))
    ok = smallest <= float(est_iv.high) and largest >= float(est_iv.low)
    return Recomputed(math.sqrt(float(low.value) * float(high.value)),
                      f"geometric centre of the CI {low.text} to {high.text}: {smallest:.4f} to {largest:.4f} over the "
                      f"CI's rounding, against the estimate {est.text}", 1, summary_level=True, feasible=ok)


def subset_total(ctx: Context, params: dict) -> Recomputed:
    """Can k of the listed trials make the printed total of patients?"""
    k = int(ctx.printed(params["k_claim"]).value)
    total = int(ctx.printed(params["total_claim"]).value)
    rows = _key_list(ctx, params, "rows")
    sizes = {r: int(_cell(ctx, params["table"], r, "n")) for r in rows}
    found = next((combo for combo in itertools.combinations(rows, k) if sum(sizes[r] for r in combo) == total), None)
    method = f"subsets of {k} of the {len(rows)} trials the document lists ({params['table']}) summing to {total} patients"
    value = float(k if ctx.claim_id == params["k_claim"] else total)  # on the scale of the claim it checks
    if found is None:
        return Recomputed(value, method + "; none does", k, summary_level=True, feasible=False)
    return Recomputed(value, method + "; " + " + ".join(f"{r} ({sizes[r]})" for r in found), k,
                      summary_level=True, feasible=True)


def sum_of_claims(ctx: Context, params: dict) -> Recomputed:
    """A printed total against the printed parts it is made of."""
    parts = [ctx.printed(c) for c in _key_list(ctx, params, "claims")]
    return Recomputed(float(sum(p.value for p in parts)), "sum of the printed parts " + " + ".join(p.text for p in parts),
                      len(parts), summary_level=True)


def _key_list(ctx: Context, params: dict, name: str) -> list:
    keys = params[name]
    if not isinstance(keys, list) or not keys:
        ctx.fail(f"{name!r} must be a non-empty list of row keys")
    return keys


def fmt_count(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(x)


ANALYSES = {
    "count": Analysis(count, ("table",), ("subset", "where")),
    "percent": Analysis(percent, ("table",), ("subset", "where")),
    "mean": _describe("mean", "mean", "mean (numpy.mean; R: mean)"),
    "sd": _describe("sd", "sd", "sample SD, n - 1 denominator (numpy.std(ddof=1); R: sd)"),
    "min": _describe("min", "minimum", "minimum"),
    "max": _describe("max", "maximum", "maximum"),
    "paired_t_p": Analysis(paired_t_p, ("comparison",)),
    "remainder": Analysis(remainder, ("table", "minus"), ("subset",)),
    "cell_at_most": Analysis(cell_at_most, ("table", "row", "bound")),
    "cell": Analysis(cell, ("table", "row", "column")),
    "row_sum": Analysis(row_sum, ("table", "rows", "column")),
    "row_difference": Analysis(row_difference, ("table", "row", "minus", "column")),
    "at_most_cell": Analysis(at_most_cell, ("table", "row", "column", "why")),
    "grim_mean": Analysis(grim_mean, ("granularity",), ("table", "row", "column", "n_rows_of", "n")),
    "percent_of_claim": Analysis(percent_of_claim, ("claim", "n_rows_of")),
    "range_contains_mean": Analysis(range_contains_mean, ("table", "row", "end")),
    "summary_value": Analysis(summary_value, ("table", "row", "column")),
    "summary_percent": Analysis(summary_percent, ("table", "row", "n_rows_of")),
    "grimmer_sd": Analysis(grimmer_sd, ("table", "row", "n_rows_of")),
    "sd_feasible": Analysis(sd_feasible, ("table", "row", "n_rows_of"), ("floor",)),
    "paired_mark": Analysis(paired_mark, ("table", "row", "baseline_row", "n_rows_of", "p_at_least", "p_below")),
    "arm_percent": Analysis(arm_percent, ("table", "row")),
    "percent_attainable": Analysis(percent_attainable, (), ("n", "table", "row", "column")),
    "two_by_two_p": Analysis(two_by_two_p, ("table", "row_a", "row_b", "method")),
    "risk_difference": Analysis(risk_difference, ("table", "row_a", "row_b", "method", "part")),
    "rr_centre": Analysis(rr_centre, ("table", "row")),
    "subset_total": Analysis(subset_total, ("table", "rows", "k_claim", "total_claim")),
    "sum_of_claims": Analysis(sum_of_claims, ("claims",)),
    "not_recomputable": Analysis(None, ()),
}


def check_params(ctx: Context, analysis: str, params: dict) -> Analysis:
    """The named analysis, after checking that ``params`` has exactly the keys it takes."""
    if analysis not in ANALYSES:
        ctx.fail(f"unknown analysis {analysis!r}; known: {', '.join(sorted(ANALYSES))}")
    spec = ANALYSES[analysis]
    for key in spec.required:
        if key not in params:
            ctx.fail(f"analysis {analysis!r} needs parameter {key!r}")
    extra = set(params) - set(spec.required) - set(spec.optional)
    if extra:
        ctx.fail(f"analysis {analysis!r} does not take parameter {sorted(extra)[0]!r}")
    return spec


def recompute(ctx: Context, analysis: str, params: dict) -> Recomputed | None:
    """Run ``analysis``; None for ``not_recomputable``."""
    spec = check_params(ctx, analysis, params)
    if spec.function is None:
        return None
    try:
        return spec.function(ctx, params)
    except ValueError as e:  # a statistic refused its input (a count above its denominator, ...)
        ctx.fail(f"analysis {analysis!r}: {e}")
