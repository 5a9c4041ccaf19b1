import doctest
import functools
import random
import time
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from fractions import Fraction
from itertools import combinations_with_replacement, product

import pytest

from reanalysis import reconstruct as reconstruct_module
from reanalysis.exact import Root, to_decimal
from reanalysis.reconstruct import reconstruct, sum_of_squares_bounds
from reanalysis.rounding import parse

_QUANTIZE = {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN, "truncate": ROUND_DOWN}
_LIMITS = [(0, 6, False, False), (0, 6, True, True), (1, 5, True, False), (0, 4, False, True), (2, 2, True, True)]


def fits(sample, mean, sd) -> bool:
    """The exact test, written out independently of the module: mean and SD inside their intervals."""
    n, s, q = len(sample), sum(sample), sum(v * v for v in sample)
    return mean.contains(Fraction(s, n)) and sd.contains(Root(Fraction(n * q - s * s, n * (n - 1))))


@functools.lru_cache(maxsize=None)  # the misfit census below reuses the cross-check's enumerations
def brute_force(n, mean, sd, low, high, low_attained, high_attained) -> tuple:
    return tuple(c for c in combinations_with_replacement(range(low, high + 1), n)
            if fits(c, mean, sd) and (not low_attained or c[0] == low) and (not high_attained or c[-1] == high))


def _printed(x, places: int, rule: str) -> str:
    return format(to_decimal(x).quantize(Decimal(1).scaleb(-places), rounding=_QUANTIZE[rule]), "f")


def _pairs(n, low, high, low_attained, high_attained) -> list:
    """Printed mean/SD pairs at 0, 1 and 2 decimals under each rounding rule: from a random sample
    (so something fits) and from random strings (so mostly nothing does)."""
    rng, pairs = random.Random(f"{n} {low} {high} {low_attained} {high_attained}"), []
    for places, rule in product((0, 1, 2), ("half_up", "half_even", "truncate")):
        sample = sorted(rng.randint(low, high) for _ in range(n))
        sample[0] = low if low_attained else sample[0]
        sample[-1] = high if high_attained else sample[-1]
        s, q = sum(sample), sum(v * v for v in sample)
        sd = Root(Fraction(n * q - s * s, n * (n - 1)))
        pairs.append((_printed(Fraction(s, n), places, rule), _printed(sd, places, rule), rule))
        pairs.append((f"{rng.uniform(low, high):.{places}f}", f"{rng.uniform(0, 3.5):.{places}f}", rule))
    return pairs


@pytest.mark.parametrize("low, high, low_attained, high_attained", _LIMITS)
@pytest.mark.parametrize("n", range(2, 7))
def test_reconstruction_matches_brute_force(n, low, high, low_attained, high_attained):
    for mean, sd, rule in _pairs(n, low, high, low_attained, high_attained):
        m, s = parse(mean).interval(rule), parse(sd).interval(rule)
        expected = brute_force(n, m, s, low, high, low_attained, high_attained)
        r = reconstruct(n, m, s, low, high, low_attained, high_attained)
        assert (r.exists, r.count, r.samples) == (bool(expected), len(expected), expected), (mean, sd, rule)


def test_brute_force_cases_include_fits_and_misfits():
    counts = [len(brute_force(n, parse(m).interval(rule), parse(s).interval(rule), *limits))
              for n, limits in product(range(2, 7), _LIMITS) for m, s, rule in _pairs(n, *limits)]
    assert sum(c == 0 for c in counts) > 50 and sum(c > 1 for c in counts) > 50


def test_keep_returns_the_lexicographically_first_samples_across_sums():
    m, s = parse("2").interval(), parse("1").interval()  # n = 6: six whole sums fit the mean
    expected = brute_force(6, m, s, 0, 6, False, False)
    r = reconstruct(6, m, s, 0, 6, keep=5)
    assert len({sum(x) for x in expected}) > 1
    assert r.count == len(expected) and r.samples == expected[:5]


@pytest.mark.parametrize("n", range(0, 6))
@pytest.mark.parametrize("low, high", [(0, 4), (-2, 3), (3, 3), (None, 3), (-1, None)])
def test_sum_of_squares_bounds_match_brute_force(n, low, high):
    for total in range(-12, 22):
        lo = total - (n - 1) * high if low is None else low
        hi = total - (n - 1) * low if high is None else high
        squares = [sum(v * v for v in c) for c in combinations_with_replacement(range(lo, hi + 1), n)
                   if sum(c) == total] if lo <= hi else []
        expected = (min(squares), max(squares)) if squares else None
        assert sum_of_squares_bounds(n, total, low, high) == expected, total


def test_sum_of_squares_bounds_without_limits_have_no_maximum():
    assert sum_of_squares_bounds(3, 4) == (6, None)
    assert sum_of_squares_bounds(1, -4) == (16, 16)
    assert sum_of_squares_bounds(0, 1) is None


@pytest.mark.parametrize("args, message", [
    ((-1, 0, 0, 1), "n must be at least 0, got -1"),
    ((2, 0, 3, 1), "low 3 is above high 1"),
    ((2, 1.5, 0, 1), "total must be a whole number, got 1.5"),
])
def test_sum_of_squares_bounds_rejects_bad_arguments(args, message):
    with pytest.raises(ValueError, match=f"^sum_of_squares_bounds: {message}$"):
        sum_of_squares_bounds(*args)


def test_sle_duration_has_one_sample():
    """n = 8, mean 1.1, SD 2.1, range 0-5: six zeros, a 4 and a 5 (sum 9, sum of squares 41)."""
    r = reconstruct(8, parse("1.1").interval(), parse("2.1").interval(), 0, 5, True, True)
    assert (r.exists, r.count, r.samples) == (True, 1, ((0, 0, 0, 0, 0, 0, 4, 5),))
    assert r.method.startswith("exhaustive enumeration (CLOSURE-style) of 8 integers in [0, 5] with minimum 0 and "
                               "maximum 5 attained") and r.method.endswith(": 1 sample")


@pytest.mark.parametrize("mean, sd, n", [("0.5", "0.0", 8), ("7.5", "0.2", 10), ("1.2", "0.3", 57)])
def test_grimmer_impossible_cases_are_proved_by_the_sum_of_squares_bound(mean, sd, n):
    r = reconstruct(n, parse(mean).interval(), parse(sd).interval(), 0, 100)
    assert (r.exists, r.count, r.samples) == (False, 0, ())
    assert r.method.startswith("sum-of-squares bound:")


def test_impossible_mean_is_proved_by_the_mean_bound():
    r = reconstruct(2, parse("0.3").interval(), parse("0.4").interval(), 0, 6)
    assert (r.exists, r.count) == (False, 0)
    assert r.method == "mean bound: no whole sum of 2 integers in [0, 6] gives a mean in [0.25, 0.35)"


def test_sledai_count_matches_brute_force():
    m, s = parse("22.0").interval(), parse("2.1").interval()
    expected = brute_force(8, m, s, 20, 26, True, True)
    r = reconstruct(8, m, s, 20, 26, True, True)
    assert r.count == len(expected) == 5 and r.samples == expected


def test_large_case_stops_at_the_budget_with_a_fitting_sample():
    m, s = parse("186").interval(), parse("129").interval()
    start = time.perf_counter()
    r = reconstruct(8, m, s, 48, 400, True, True, budget=2_000)
    assert time.perf_counter() - start < 2
    assert (r.exists, r.count) == (True, None) and r.samples
    assert "stopped after 2,000 nodes" in r.method
    for sample in r.samples:
        assert fits(sample, m, s) and len(sample) == 8 and (sample[0], sample[-1]) == (48, 400)


def test_samples_found_but_not_kept_still_prove_existence():
    r = reconstruct(8, parse("186").interval(), parse("129").interval(), 48, 400, True, True, budget=2_000, keep=0)
    assert (r.exists, r.count, r.samples) == (True, None, ())
    assert r.method.endswith("stopped after 2,000 nodes with at least 551 samples; not counted")


def test_seeded_search_finds_a_sample_when_the_enumeration_stops_empty_handed():
    m, s = parse("41.3").interval(), parse("16.4").interval()
    r = reconstruct(8, m, s, 23, 68, True, True, budget=5)
    assert (r.exists, r.count, len(r.samples)) == (True, None, 1)
    assert r.method.endswith("without a sample; seeded SPRITE-style search (seed 0, 5 steps): a sample found; "
                             "not counted")
    sample = r.samples[0]
    assert fits(sample, m, s) and len(sample) == 8 and (sample[0], sample[-1]) == (23, 68)


@pytest.mark.parametrize("budget", [5, 30])
def test_every_sample_the_seeded_search_finds_fits(budget):
    m, s = parse("41.3").interval(), parse("16.4").interval()
    results = [reconstruct(8, m, s, 23, 68, True, True, budget=budget, seed=seed) for seed in range(20)]
    found = [r.samples[0] for r in results if r.exists]
    assert found and all("SPRITE" in r.method for r in results)
    for sample in found:
        assert fits(sample, m, s) and len(sample) == 8 and (sample[0], sample[-1]) == (23, 68)


def test_unfinished_search_without_a_sample_is_undetermined():
    """n = 3, mean 1.0, SD 1.4: the SD needs a sum of squares of 7, between the bounds 3 and 9, which
    three integers summing to 3 cannot have; only the finished enumeration says so."""
    m, s = parse("1.0").interval(), parse("1.4").interval()
    assert brute_force(3, m, s, 0, 6, False, False) == ()
    r = reconstruct(3, m, s, 0, 6, budget=1)
    assert (r.exists, r.count, r.samples) == (None, None, ())
    assert r.method.endswith("found none: undetermined")
    finished = reconstruct(3, m, s, 0, 6)
    assert (finished.exists, finished.count) == (False, 0) and finished.method.endswith(": 0 samples")


@pytest.mark.parametrize("budget", [5, 2_000])
def test_same_arguments_give_the_same_result(budget):
    args = (8, parse("41.3").interval(), parse("16.4").interval(), 23, 68, True, True)
    assert reconstruct(*args, budget=budget, seed=3) == reconstruct(*args, budget=budget, seed=3)


@pytest.mark.parametrize("args, kwargs, message", [
    ((1, "1.0", "1.0", 0, 5), {}, "a sample SD needs n >= 2, got n = 1"),
    ((8, "1.0", "1.0", 5, 0), {}, "low 5 is above high 0"),
    ((8, "1.0", "1.0", 0, 5.5), {}, "high must be a whole number, got 5.5"),
    ((8, "1.0", "1.0", 0, 5), {"budget": 0}, "budget must be at least 1 and keep at least 0, got 0 and 1000"),
])
def test_bad_arguments_are_rejected_with_the_value(args, kwargs, message):
    n, mean, sd, low, high = args
    with pytest.raises(ValueError, match=f"^reconstruct: {message}$"):
        reconstruct(n, parse(mean).interval(), parse(sd).interval(), low, high, **kwargs)


def test_printed_text_instead_of_an_interval_is_rejected():
    with pytest.raises(ValueError, match="^reconstruct: mean must be a rounding Interval, got '1.0'$"):
        reconstruct(8, "1.0", parse("1.0").interval(), 0, 5)


def test_docstring_examples():
    assert doctest.testmod(reconstruct_module).failed == 0
