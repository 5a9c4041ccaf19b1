"""Reconstruction of whole-number samples from a printed n, mean, SD and range (CLOSURE and SPRITE).

A printed mean and SD of ``n`` integers (a score, a count) say more than GRIM and GRIMMER test: they
also bound which samples could have produced them. This module decides whether any multiset of ``n``
integers inside the scale limits (or the printed range, whose ends the sample attains) has a mean and
a sample SD inside the printed values' rounding intervals, and counts how many do.

Three stages, cheapest first:

1. **Bounds.** For every whole sum ``S`` whose mean ``S / n`` is inside the printed mean's interval,
   the sums of squares ``Q`` that give an SD inside the printed SD's interval form one run of
   integers of the parity of ``S``; the exact smallest and largest ``Q`` that ``n`` integers in the
   limits with sum ``S`` can have (:func:`sum_of_squares_bounds`) often prove that no sample exists.
2. **Exhaustive enumeration** (CLOSURE-style): depth-first over non-decreasing sequences, pruning a
   partial sequence as soon as the rest cannot reach the sum or the run of admissible ``Q``.
3. **Seeded search** (SPRITE-style), only when the enumeration ran out of budget before it found a
   sample: a sample it finds proves existence, but nothing is counted.

Every decision is exact: a mean is ``Fraction(S, n)`` and an SD the :class:`~reanalysis.exact.Root`
of ``(n Q - S**2) / (n (n - 1))``, both tested by :meth:`~reanalysis.rounding.Interval.contains`
(the ends of each run of fitting ``Q`` are settled by that test), never a float.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from fractions import Fraction

from reanalysis.exact import Root
from reanalysis.rounding import Interval


@dataclass(frozen=True)
class Reconstruction:
    """What a printed n, mean, SD and range allow for a sample of whole numbers.

    Attributes
    ----------
    n : int
        Sample size.
    exists : bool or None
        Whether some sample fits; None when the search stopped without a proof either way.
    count : int or None
        The exact number of distinct fitting multisets when the enumeration finished, else None.
    samples : tuple of tuple of int
        Fitting samples, each sorted, in lexicographic order: the first ``keep`` when the enumeration
        finished, else those found before it stopped (or the one the seeded search found).
    method : str
        One sentence saying how the answer was reached: the bound that proved no sample exists,
        the enumeration and its node count, or the seeded search and its seed.
    """

    n: int
    exists: bool | None
    count: int | None
    samples: tuple
    method: str


@dataclass(frozen=True)
class _Target:
    """One whole sum and the run of sums of squares that fit, for the values left free once the
    attained range ends are set aside."""

    total: int
    first: int
    last: int


def sum_of_squares_bounds(n: int, total: int, low: int | None = None, high: int | None = None):
    """The exact smallest and largest sum of squares of ``n`` integers in ``[low, high]`` summing to ``total``.

    Parameters
    ----------
    n : int
        How many integers (0 allowed: the empty sample has sum and sum of squares 0).
    total : int
        Their sum.
    low, high : int or None
        Limits on each integer; None leaves that side unbounded.

    Returns
    -------
    tuple of (int, int or None) or None
        ``(smallest, largest)``, or None when no ``n`` integers in the limits sum to ``total``.
        ``largest`` is None (unbounded) only when both limits are None and ``n >= 2``; one limit
        bounds every value through the sum (with only ``high``, each value is at least
        ``total - (n - 1) high``).

    Notes
    -----
    The sum of squares is convex, so its minimum puts the values as equal as possible
    (``q = total // n``, ``r = total - n q``: ``(n - r) q**2 + r (q + 1)**2``) and its maximum is at a
    vertex of the constrained set: as many values at ``high`` as fit, one value in between, the rest
    at ``low``. Both are attained, and every sum of squares of integers has the parity of their sum.
    This is the bound GRIMMER (Anaya 2016; R: ``scrutiny::grimmer``) uses without limits, sharpened
    by the scale limits as in CLOSURE's pruning.

    Examples
    --------
    >>> sum_of_squares_bounds(8, 9, 0, 5)
    (11, 41)
    >>> sum_of_squares_bounds(3, 4)
    (6, None)
    >>> sum_of_squares_bounds(2, 11, 0, 5) is None
    True
    """
    for name, value in (("n", n), ("total", total), ("low", low), ("high", high)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise ValueError(f"sum_of_squares_bounds: {name} must be a whole number, got {value!r}")
    if n < 0:
        raise ValueError(f"sum_of_squares_bounds: n must be at least 0, got {n}")
    if low is not None and high is not None and low > high:
        raise ValueError(f"sum_of_squares_bounds: low {low} is above high {high}")
    if low is None and high is None:
        if n < 2:
            return _square_bounds(n, total, total, total)
        q, r = divmod(total, n)
        return (n - r) * q * q + r * (q + 1) ** 2, None
    low = total - (n - 1) * high if low is None else low
    high = total - (n - 1) * low if high is None else high
    return _square_bounds(n, total, low, high)


def _square_bounds(n: int, total: int, low: int, high: int):
    """:func:`sum_of_squares_bounds` with finite limits, unchecked: the search calls it at every node."""
    if n == 0:
        return (0, 0) if total == 0 else None
    if not n * low <= total <= n * high:
        return None
    q, r = divmod(total, n)
    smallest = (n - r) * q * q + r * (q + 1) ** 2
    if high == low:
        return smallest, smallest
    at_high, rest = divmod(total - n * low, high - low)
    if at_high == n:
        return smallest, n * high * high
    return smallest, at_high * high * high + (low + rest) ** 2 + (n - at_high - 1) * low * low


def reconstruct(n: int, mean: Interval, sd: Interval, low: int, high: int, low_attained: bool = False,
                high_attained: bool = False, *, budget: int = 200_000, seed: int = 0,
                keep: int = 1000, count: bool = True) -> Reconstruction:
    """Whether, and in how many ways, ``n`` whole numbers can have the printed mean, SD and range.

    Parameters
    ----------
    n : int
        Sample size, at least 2.
    mean, sd : reanalysis.rounding.Interval
        The rounding intervals of the printed mean and sample SD (n - 1 denominator), as
        ``parse("41.3").interval("half_up")`` gives them.
    low, high : int
        The scale limits (0 and 105 for a score), or a printed range.
    low_attained, high_attained : bool
        The sample takes the value ``low`` (``high``): its minimum (maximum) is exactly that, as for
        the ends of a printed range.
    budget : int
        Depth-first nodes the enumeration may visit, and steps the seeded search may take.
    seed : int
        Seed of the search's ``random.Random``; the result depends only on the arguments.
    keep : int
        How many samples to return at most.
    count : bool
        Count every fitting sample (the default), or stop at the first one: existence is then
        decided as surely, and much faster, but ``count`` is None.

    Returns
    -------
    Reconstruction

    Raises
    ------
    ValueError
        For ``n < 2``, ``low > high``, non-whole numbers, intervals that are not
        :class:`~reanalysis.rounding.Interval`, ``budget < 1`` or ``keep < 0``.

    Notes
    -----
    The enumeration is CLOSURE's idea ("Complete Listing of Original Samples of Underlying Raw
    Evidence": Nathanael Larigaldie's algorithm, in R the package unsum by Lukas Jung,
    ``unsum::closure_generate(mean = "1.1", sd = "2.1", n = 8, scale_min = 0, scale_max = 5)``): list
    every sample that fits rather than draw some. The fallback search is SPRITE (Heathers, Anaya, van
    der Zee & Brown 2018, "Recovering data from summary statistics: Sample Parameter Reconstruction
    via Iterative TEchniques", PeerJ Preprints, doi:10.7287/peerj.preprints.26968v1; in R
    ``rsprite2::find_possible_distributions(rsprite2::set_parameters(mean = 1.1, sd = 2.1, n_obs = 8,
    min_val = 0, max_val = 5))``): start from a random sample with the right sum, then move one unit
    from one value to another while that brings the SD closer to its target.

    Unlike both, a sample fits when its exact mean and SD lie in the printed values' rounding
    intervals, compared as rationals with each end open or closed as the rounding rule says
    (unsum treats every rounding bound as inclusive), and a printed range can be required to be
    attained (its ends are the sample's minimum and maximum), not only used as limits. The
    enumeration prunes with the exact bounds of :func:`sum_of_squares_bounds`, and a case those
    bounds settle (a GRIMMER-style impossibility) is reported as such, without a search.

    Examples
    --------
    >>> from reanalysis.rounding import parse
    >>> r = reconstruct(8, parse("1.1").interval(), parse("2.1").interval(), 0, 5, True, True)
    >>> r.count, r.samples
    (1, ((0, 0, 0, 0, 0, 0, 4, 5),))
    >>> reconstruct(8, parse("0.5").interval(), parse("0.0").interval(), 0, 100).exists
    False
    """
    _check(n, mean, sd, low, high, budget, keep)
    forced = (low,) * bool(low_attained) + (high,) * bool(high_attained)
    free = n - len(forced)
    domain = _domain(n, low, high, low_attained, high_attained)
    sums = _sums(n, mean, low, high, forced)
    if not sums:
        return Reconstruction(n, False, 0, (), f"mean bound: no whole sum of {domain} gives a mean in {mean}")
    targets = _targets(n, sd, low, high, forced, sums)
    if not targets:
        return Reconstruction(n, False, 0, (), (
            f"sum-of-squares bound: for {_many(len(sums), 'whole sum')} of {domain} with a mean in {mean}, the sums "
            f"of squares that give an SD in {sd} lie outside the exact minimum and maximum"))
    found, samples, nodes, complete = _enumerate(targets, free, low, high, budget, keep, count)
    samples = tuple(tuple(sorted(forced + s)) for s in samples)
    closure = (f"exhaustive enumeration (CLOSURE-style) of {domain}, mean in {mean}, SD in {sd}, over "
               f"{_many(len(targets), 'whole sum')}")
    if found and not count:
        return Reconstruction(n, True, None, samples, (
            f"depth-first search (CLOSURE-style) of {domain}, mean in {mean}, SD in {sd}: a sample after "
            f"{nodes:,} nodes; not counted"))
    count = found
    if complete:
        return Reconstruction(n, count > 0, count, samples, f"{closure} ({nodes:,} nodes): {_many(count, 'sample')}")
    if count:
        return Reconstruction(n, True, None, samples, (
            f"{closure} stopped after {budget:,} nodes with at least {_many(count, 'sample')}; not counted"))
    found = _sprite(targets, free, low, high, random.Random(seed), budget)
    search = f"seeded SPRITE-style search (seed {seed}, {budget:,} steps)"
    if found is None:
        return Reconstruction(n, None, None, (), (
            f"{closure} stopped after {budget:,} nodes without a sample, and {search} found none: undetermined"))
    return Reconstruction(n, True, None, (tuple(sorted(forced + found)),)[:keep], (
        f"{closure} stopped after {budget:,} nodes without a sample; {search}: a sample found; not counted"))


def _check(n, mean, sd, low, high, budget, keep) -> None:
    for name, value in (("n", n), ("low", low), ("high", high), ("budget", budget), ("keep", keep)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"reconstruct: {name} must be a whole number, got {value!r}")
    for name, value in (("mean", mean), ("sd", sd)):
        if not isinstance(value, Interval):
            raise ValueError(f"reconstruct: {name} must be a rounding Interval, got {value!r}")
    if n < 2:
        raise ValueError(f"reconstruct: a sample SD needs n >= 2, got n = {n}")
    if low > high:
        raise ValueError(f"reconstruct: low {low} is above high {high}")
    if budget < 1 or keep < 0:
        raise ValueError(f"reconstruct: budget must be at least 1 and keep at least 0, got {budget} and {keep}")


def _domain(n: int, low: int, high: int, low_attained: bool, high_attained: bool) -> str:
    ends = [f"{word} {value}" for word, value, attained in
            (("minimum", low, low_attained), ("maximum", high, high_attained)) if attained]
    return f"{n} integers in [{low}, {high}]" + (f" with {' and '.join(ends)} attained" if ends else "")


def _many(k: int, thing: str) -> str:
    return f"{k:,} {thing}{'' if k == 1 else 's'}"


def _sums(n: int, mean: Interval, low: int, high: int, forced: tuple) -> list[int]:
    """The whole sums with a mean inside the printed mean's interval that the free values can reach."""
    first = n * low if mean.low is None else max(n * low, math.floor(Fraction(mean.low) * n))
    last = n * high if mean.high is None else min(n * high, math.ceil(Fraction(mean.high) * n))
    free, rest = n - len(forced), sum(forced)
    return [s for s in range(first, last + 1)
            if mean.contains(Fraction(s, n)) and _square_bounds(free, s - rest, low, high) is not None]


def _targets(n: int, sd: Interval, low: int, high: int, forced: tuple, sums: list[int]) -> list[_Target]:
    """For each sum, the run of free values' sums of squares that give a fitting SD, where one exists."""
    free, rest, squares = n - len(forced), sum(forced), sum(v * v for v in forced)
    targets = []
    for s in sums:
        smallest, largest = _square_bounds(free, s - rest, low, high)
        run = _square_run(n, s, sd, squares + smallest, squares + largest)
        if run is not None:
            targets.append(_Target(s - rest, run[0] - squares, run[1] - squares))
    return targets


def _square_run(n: int, total: int, sd: Interval, smallest: int, largest: int):
    """The first and last sum of squares in ``[smallest, largest]`` whose SD is in ``sd``, or None.

    The SD grows with the sum of squares and ``sd`` is an interval, so the fitting sums of squares
    (of the parity of ``total``) are one run; its ends are found from the interval's ends and then
    settled by the exact test.
    """
    def fits(q: int) -> bool:
        return sd.contains(Root(Fraction(n * q - total * total, n * (n - 1))))

    first, last = smallest, largest
    if sd.low is not None and sd.low > 0:
        first = max(first, math.floor((total * total + Fraction(sd.low) ** 2 * n * (n - 1)) / n))
    if sd.high is not None:
        if sd.high < 0:
            return None
        last = min(last, math.ceil((total * total + Fraction(sd.high) ** 2 * n * (n - 1)) / n))
    first += (first - total) % 2  # a sum of squares of integers has the parity of their sum
    last -= (last - total) % 2
    while first <= last and not fits(first):
        first += 2
    while last >= first and not fits(last):
        last -= 2
    return (first, last) if first <= last else None


def _enumerate(targets: list[_Target], free: int, low: int, high: int, budget: int, keep: int,
               every: bool = True) -> tuple:
    """All sums' enumerations within one node budget: (count, first samples, nodes, complete); without
    ``every``, the first sample ends the search."""
    count = nodes = 0
    kept = []
    for target in targets:
        found, samples, used, complete = _walk(target, free, low, high, budget - nodes, keep, every)
        count, nodes = count + found, nodes + used
        kept = sorted(kept + samples)[:keep]
        if not complete or (count and not every):
            return count, kept, nodes, complete
    return count, kept, nodes, True


def _walk(target: _Target, free: int, low: int, high: int, budget: int, keep: int, every: bool = True) -> tuple:
    """Depth-first enumeration of non-decreasing free values for one sum, in lexicographic order.

    A frame holds the next value to try, the last one worth trying, and how many values, what sum
    and what sum of squares remain; a value is only descended into when the rest can still reach
    both the sum and the run of sums of squares. Returns (count, first samples, nodes, complete);
    without ``every`` it returns at the first sample, incomplete.
    """
    if free == 0:
        return 1, [()][:keep], 0, True
    count = nodes = 0
    kept, path = [], []
    stack = [[*_value_range(free, target.total, low, high), free, target.total, 0]]
    while stack:
        frame = stack[-1]
        value, last, left, total, squares = frame
        if value > last:
            stack.pop()
            if path:
                path.pop()
            continue
        frame[0] += 1
        nodes += 1
        if nodes > budget:
            return count, kept, budget, False
        squares += value * value
        if left == 1:
            if target.first <= squares <= target.last:
                count += 1
                if len(kept) < keep:
                    kept.append((*path, value))
                if not every:
                    return count, kept, nodes, False
            continue
        bounds = _square_bounds(left - 1, total - value, value, high)
        if bounds is None or squares + bounds[0] > target.last or squares + bounds[1] < target.first:
            continue
        path.append(value)
        stack.append([*_value_range(left - 1, total - value, value, high), left - 1, total - value, squares])
    return count, kept, nodes, True


def _value_range(left: int, total: int, smallest: int, high: int) -> list[int]:
    """The values the next of ``left`` non-decreasing values summing to ``total`` can take."""
    return [max(smallest, total - (left - 1) * high), total // left]


def _sprite(targets: list[_Target], free: int, low: int, high: int, rng: random.Random, steps: int):
    """SPRITE-style search, ``steps`` shared among the sums: free values that fit, sorted, or None."""
    share = max(1, steps // len(targets))
    for target in targets:
        found = _climb(target, free, low, high, rng, share)
        if found is not None:
            return found
    return None


def _climb(target: _Target, free: int, low: int, high: int, rng: random.Random, steps: int):
    """Move one unit from one value to another while that brings the sum of squares closer to its
    run; start again from a new random sample after ``4 free**2`` moves in a row that do not."""
    values = _random_start(free, target.total, low, high, rng)
    squares, stuck = sum(v * v for v in values), 0
    for _ in range(steps):
        gap = _gap(squares, target)
        if gap == 0:
            return tuple(sorted(values))
        up, down = rng.randrange(free), rng.randrange(free)
        change = 2 * (values[up] - values[down] + 1)
        if up != down and values[up] < high and values[down] > low and _gap(squares + change, target) < gap:
            values[up], values[down], squares, stuck = values[up] + 1, values[down] - 1, squares + change, 0
            continue
        stuck += 1
        if stuck > 4 * free * free:
            values = _random_start(free, target.total, low, high, rng)
            squares, stuck = sum(v * v for v in values), 0
    return tuple(sorted(values)) if _gap(squares, target) == 0 else None


def _random_start(free: int, total: int, low: int, high: int, rng: random.Random) -> list[int]:
    """Uniform random values in the limits, then moved toward the limits in random order to reach ``total``."""
    values = [rng.randint(low, high) for _ in range(free)]
    short = total - sum(values)
    order = list(range(free))
    rng.shuffle(order)
    for i in order:
        move = max(low - values[i], min(high - values[i], short))
        values[i] += move
        short -= move
    return values


def _gap(squares: int, target: _Target) -> int:
    return max(target.first - squares, squares - target.last, 0)
