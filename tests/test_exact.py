from fractions import Fraction

import numpy as np
import pytest

from reanalysis.exact import Root, mean, sd, to_decimal, variance


def test_the_mean_of_transcribed_decimals_is_exact():
    cells = ["1.1", "2.2", "3.3", "2.35", "2.7"]
    assert float(np.mean([float(c) for c in cells])) == 2.3299999999999996  # what binary floats give
    assert mean(Fraction(c) for c in cells) == Fraction("2.33")


def test_variance_and_sd_match_r_definitions():
    x = [Fraction(v) for v in (1, 2, 3, 4)]
    assert variance(x) == Fraction(5, 3)  # R: var(1:4)
    assert variance(x, ddof=0) == Fraction(5, 4)
    assert sd(x) == Root(Fraction(5, 3)) and float(sd(x)) == pytest.approx(1.2909944487358056, abs=1e-15)


def test_variance_needs_more_values_than_its_ddof():
    with pytest.raises(ValueError, match="needs more than 1 values, got 1"):
        variance([Fraction(3)])
    with pytest.raises(ValueError, match="at least one value"):
        mean([])


def test_a_root_of_a_negative_number_is_refused():
    with pytest.raises(ValueError, match="negative"):
        Root(Fraction(-1))


def test_to_decimal_is_exact_for_terminating_fractions_and_floats():
    assert str(to_decimal(Fraction(2675, 1000))) == "2.675"
    assert str(to_decimal(0.1)) == "0.1"
    assert str(to_decimal(Root(Fraction(9, 4)))) == "1.5"
