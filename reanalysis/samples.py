"""Printed summaries checked against the whole-number samples that could have produced them.

The analyses ``reconstruct_mean``, ``reconstruct_sd`` and ``reconstruct_range`` put the claim's printed
value (or a neighbour of it) in its place among a summary row's printed n, mean, SD and range, and ask
:func:`reanalysis.reconstruct.reconstruct` whether any sample of whole numbers has them all. With a printed
range the sample must attain both ends; without one, the variable's limits (``floor``, ``ceiling``) bound
it, or else the farthest a value can lie from the mean, ``SD (n - 1) / sqrt(n)``.
"""

from __future__ import annotations

import functools
import itertools
import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from scipy import stats as scipy_stats

from reanalysis import arithmetic, exact, reconstruct
from reanalysis.context import Context, Outcome, Recomputed
from reanalysis.rounding import Interval

BUDGET = 200_000  # depth-first nodes per enumeration; past it a seeded search looks for one sample
KEEP = 10_000  # samples kept for the figure (C3's 2,984 in kagawa's Table 1 all fit)
_ROLES = ("mean", "sd", "range_low", "range_high")


ANY = Interval(None, None, False, False)  # a summary left out of a reconstruction: any value will do


@functools.lru_cache(maxsize=4096)  # a row's claims, their neighbours and the figure ask for the same samples
def _rebuild(n: int, mean, sd, low: int, high: int, attained: bool, count: bool) -> reconstruct.Reconstruction:
    return reconstruct.reconstruct(n, mean, sd, low, high, attained, attained, budget=BUDGET, keep=KEEP, count=count)


def summary(ctx: Context, params: dict) -> dict:
    """The row's printed mean and SD, and its range when printed: role -> :class:`~reanalysis.rounding.Printed`."""
    table, row = params["table"], params["row"]
    cells = {}
    for role in _ROLES:
        column = ctx.role(table, role, optional=role.startswith("range"))
        if column is None:
            continue
        frame = ctx.table(table).frame
        text = frame.loc[frame[ctx.table(table).primary_key[0]] == row, column]
        if role.startswith("range") and (text.empty or not text.iloc[0]):
            continue
        cells[role] = ctx.printed_cell(table, row, column)
    if ("range_low" in cells) != ("range_high" in cells):
        ctx.fail(f"row {row!r} of table {table!r} prints one end of its range only")
    return cells


def rebuild(ctx: Context, params: dict, cells: dict, n: int, count: bool = True, use_sd: bool = True,
            use_range: bool = True):
    """The reconstruction for printed ``cells`` (a :func:`summary`, possibly with one value moved), and the
    limits it used, as a phrase (None when the limits are empty); without ``count``, only whether a sample
    exists. ``use_sd`` / ``use_range`` False leave the row's SD or printed range out."""
    mean, sd = cells["mean"].interval("nearest"), cells["sd"].interval("nearest") if use_sd else ANY
    if "range_low" in cells and use_range:
        low, high = (_whole(ctx, cells[end], "its range end") for end in ("range_low", "range_high"))
        if low > high:
            return None, f"range {low} to {high}"
        return _rebuild(n, mean, sd, low, high, True, count), f"range {low} to {high}, both attained"
    if use_sd:  # no value lies farther than SD (n - 1) / sqrt(n) from the mean
        reach = Fraction(sd.high) * (n - 1) / Fraction(math.isqrt(n * 10 ** 12), 10 ** 6)  # sqrt(n) rounded down
        near = math.floor(Fraction(mean.low) - reach), math.ceil(Fraction(mean.high) + reach)
        how = "the farthest a value can lie from the mean, SD (n - 1) / sqrt(n)"
    else:  # without the SD only the mean counts: n values at its two nearest whole numbers reach every attainable mean
        near = math.floor(Fraction(mean.low)), math.ceil(Fraction(mean.high))
        how = "the whole numbers either side of the mean"
    low, high = _limit(ctx, params, "floor", near[0]), _limit(ctx, params, "ceiling", near[1])
    if "floor" in params and "ceiling" in params and params["floor"] > params["ceiling"]:
        ctx.fail(f"'floor' {params['floor']} is above 'ceiling' {params['ceiling']}")
    phrase = f"values from {low} to {high} ({how}{', within the floor and ceiling' if 'floor' in params or 'ceiling' in params else ''})"
    if low > high:
        return None, phrase
    return _rebuild(n, mean, sd, low, high, False, count), phrase


def _limit(ctx: Context, params: dict, name: str, reach: int) -> int:
    if name not in params:
        return reach
    value = params[name]
    if value != int(value):
        ctx.fail(f"'{name}' must be a whole number for a reconstruction of whole numbers, got {value}")
    return max(int(value), reach) if name == "floor" else min(int(value), reach)


def _whole(ctx: Context, printed, what: str) -> int:
    if printed.kind != "number" or printed.value != int(printed.value):
        ctx.fail(f"{what} {printed.text} is not a whole number: the reconstruction is for whole-number data")
    return int(printed.value)


def _cells(ctx: Context, params: dict, n: int) -> dict:
    if n < 2:
        ctx.fail(f"a reconstruction needs n >= 2, got {n}")
    cells = summary(ctx, params)
    if "range_low" in cells:
        for name in ("floor", "ceiling"):
            if name in params:
                ctx.fail(f"'{name}' applies only without a printed range; row {params['row']!r} prints one")
    return cells


def _check(ctx: Context, params: dict, judged: str, statistic, use_sd: bool = True) -> Recomputed:
    """A check that puts each printed value in place of the row's ``judged`` cell and rebuilds the samples.

    A range end is judged only when the row's mean and SD admit some sample at all, range aside: otherwise the
    fault lies with them (their own claims say so) and the range end check is undetermined.
    """
    n = arithmetic.n_of(ctx, params)
    cells = _cells(ctx, params, n)
    if judged not in cells:
        ctx.fail(f"row {params['row']!r} of table {params['table']!r} prints no {judged.replace('_', ' ')}")
    blocked = ""
    if judged.startswith("range"):
        found, limits = rebuild(ctx, params, cells, n, count=False, use_range=False)
        if found is not None and found.exists is False:
            blocked = f"; undetermined: the printed mean and SD admit no sample at all ({limits}: {found.method})"

    def check(printed) -> Outcome:  # the row as printed is counted; a value put in its place only searched for
        if blocked:
            return Outcome(True, None, blocked, decided=False)
        found, limits = rebuild(ctx, params, {**cells, judged: printed}, n, count=printed == cells[judged],
                                use_sd=use_sd)
        if found is None:
            return Outcome(False, None, f"; the {limits} is empty")
        if found.exists is None:
            return Outcome(True, None, f"; {limits}: {found.method}", decided=False)
        if not found.exists:
            return Outcome(False, None, f"; {limits}: {found.method}")
        example = ", ".join(map(str, found.samples[0]))
        return Outcome(True, statistic(found.samples[0]), f"; {limits}: {found.method}; e.g. {example}")
    used = {**cells} if use_sd else {k: v for k, v in cells.items() if k != "sd"}
    return Recomputed(None, f"reconstruction of n = {n} whole numbers from the printed {_shown(used)}", n, check=check)


def reconstruct_sd(ctx: Context, params: dict) -> Recomputed:
    """A printed SD of whole-number data: some sample with the row's printed n, mean and range must have it."""
    return _check(ctx, params, "sd", lambda s: exact.sd([Fraction(x) for x in s]))


def reconstruct_mean(ctx: Context, params: dict) -> Recomputed:
    """A printed mean of whole-number data: some sample with the row's printed n and range must have it (GRIM with
    the range; the SD is judged given the mean, by ``reconstruct_sd``, so a wrong SD is never blamed on the mean)."""
    return _check(ctx, params, "mean", lambda s: Fraction(sum(s), len(s)), use_sd=False)


def reconstruct_range(ctx: Context, params: dict) -> Recomputed:
    """A printed range end of whole-number data: some sample with the row's printed n, mean, SD and other range
    end must have it as its minimum (``end = "low"``) or maximum (``"high"``)."""
    end = params["end"]
    return _check(ctx, params, f"range_{end}", lambda s: Fraction(min(s) if end == "low" else max(s)))


def reconstruct_mark(ctx: Context, params: dict) -> Recomputed:
    """A significance mark (or its absence) against whole-number samples: some sample of the baseline row and
    some of the follow-up row, paired patient by patient in some order, must give a paired t-test p in the
    range the mark states. ``floor`` and ``ceiling`` bound the rows that print no range."""
    n = arithmetic.n_of(ctx, params)
    if n < 2:
        ctx.fail(f"a reconstruction needs n >= 2, got {n}")
    rows = [(row, summary(ctx, {**params, "row": row})) for row in (params["baseline_row"], params["row"])]
    built = [rebuild(ctx, {**params, "row": row}, cells, n) for row, cells in rows]
    method = (f"paired t-test on samples of n = {n} whole numbers, baseline {_shown(rows[0][1])} vs {_shown(rows[1][1])}, "
              "every pair of samples in every patient order (scipy.stats.t; R: t.test(after, before, paired = TRUE)); "
              + "; ".join(f"{row}: {limits}" + (f": {found.method}" if found else " is empty")
                          for (row, _), (found, limits) in zip(rows, built)))
    empty = [row for (row, _), (found, _) in zip(rows, built) if found is None or found.exists is False]
    complete = not empty and all(found.count is not None and found.count <= KEEP for found, _ in built)
    pairs = _pair_extremes(built[0][0].samples, built[1][0].samples) if complete else ()

    def check(reading) -> Outcome:
        iv = reading.interval("bound")
        if empty:
            return Outcome(True, None, f"; undetermined: no sample fits the printed values of {' and '.join(empty)}, so "
                           "no mark can be judged against them", decided=False)
        if not complete:
            return Outcome(True, None, "; undetermined: the samples are not all enumerated", decided=False)
        for p_low, p_high, before, after in pairs:
            for p in (p_low, p_high):
                if iv.contains(p):
                    return Outcome(True, p, f"; p = {p:.3g} {reading.text}, e.g. {before} paired with {after}")
        if iv.low is not None and iv.high is not None:  # a range between the extremes: an order in between may hit it
            for p_low, p_high, before, after in pairs:
                if p_low < iv.low and p_high > iv.high:
                    inside = next((p for p in _every_order(before, after) if iv.contains(p)), None)
                    if inside is not None:
                        return Outcome(True, inside, f"; p = {inside:.3g} {reading.text} for some patient order")
        return Outcome(False, None, f"; no pair of samples, in any patient order, gives p {reading.text}")
    return Recomputed(None, method, n, check=check)


def _pair_extremes(before: tuple, after: tuple) -> tuple:
    """For every pair of samples, the smallest and largest paired t-test p over patient orders, with the pair.

    Rearrangement: the covariance of the two columns is largest when both are sorted the same way and smallest
    when sorted opposite ways, so |t| and p are extreme there (the mean difference does not depend on the order).
    """
    x, y = np.array(before)[:, None, :], np.array(after)[None, :, :]
    same, opposite = _paired_p(x, y), _paired_p(x, y[:, :, ::-1])
    out = []
    for i, j in itertools.product(range(len(before)), range(len(after))):
        ps = [p for p in (float(same[i, j]), float(opposite[i, j])) if not math.isnan(p)]
        if ps:
            out.append((min(ps), max(ps), before[i], after[j]))
    return tuple(out)


def _every_order(before: tuple, after: tuple):
    """The paired t-test p of every distinct order of ``after`` against ``before`` (at most 8! = 40,320 for n = 8)."""
    orders = np.array(sorted(set(itertools.permutations(after))))
    for p in _paired_p(np.array(before)[None, :], orders):
        if not math.isnan(p):
            yield float(p)


def _paired_p(before, after):
    """Two-sided paired t-test p of ``after - before`` along the last axis (NaN when every difference is equal and
    zero, p = 0 when equal and not zero). R: ``t.test(after, before, paired = TRUE)$p.value``."""
    d = (after - before).astype(float)
    n = d.shape[-1]
    mean, sd = d.mean(axis=-1), d.std(axis=-1, ddof=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = mean / (sd / math.sqrt(n))
    p = 2 * scipy_stats.t.sf(np.abs(t), n - 1)
    return float(p) if np.ndim(p) == 0 else p


@dataclass(frozen=True)
class Distribution:
    """How often each whole value occurs in the samples that fit one summary row: ``per_sample[i]`` is how
    many of the n values equal ``values[i]``, averaged over the ``samples`` samples shown."""

    row: str
    printed: str
    values: tuple
    per_sample: tuple
    samples: int
    method: str


def distribution(ctx: Context, table: str, row, n: int) -> Distribution:
    """The samples of a summary row as printed, reduced to how often each value occurs (for a figure)."""
    params = {"table": table, "row": row}
    cells = _cells(ctx, params, n)
    found, limits = rebuild(ctx, params, cells, n)
    if found is None or not found.samples:
        ctx.fail(f"row {row!r} of table {table!r}: no sample of whole numbers fits its printed values, so none can "
                 "be drawn")
    values = tuple(range(min(s[0] for s in found.samples), max(s[-1] for s in found.samples) + 1))
    tally = {v: 0 for v in values}
    for sample in found.samples:
        for v in sample:
            tally[v] += 1
    shown = len(found.samples)
    return Distribution(str(row), _shown(cells), values, tuple(tally[v] / shown for v in values), shown,
                        f"{limits}: {found.method}")


def _shown(cells: dict) -> str:
    return f"mean {cells['mean'].text}" + (f", SD {cells['sd'].text}" if "sd" in cells else "") + (
        f", range {cells['range_low'].text} to {cells['range_high'].text}" if "range_low" in cells else "")
