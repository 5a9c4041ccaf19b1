from reanalysis import diagnosis
from reanalysis.rounding import parse


def test_transposition_found_only_when_the_swap_reproduces():
    assert diagnosis.transposition(parse("0.21"), 0.1217).kind == "transposition"
    assert diagnosis.transposition(parse("0.21"), 0.15) is None
    assert diagnosis.transposition(parse("<0.05"), 0.5) is None
    assert diagnosis.transposition(parse("0.11"), 0.11) is None


def test_double_rounding_of_age_means():
    p = diagnosis.double_rounding(parse("17 years, 9 months"), 214.111)
    assert p.kind == "double_rounding" and "17 years, 10 months" in p.text
    assert diagnosis.double_rounding(parse("17 years, 10 months"), 214.111) is None
    assert diagnosis.double_rounding(parse("17.8"), 214.111) is None


def test_other_row_value_names_the_row_and_rank():
    cells = [(1, 98.0), (2, 41.0), (6, 46.0), (9, 206.0)]
    p = diagnosis.other_row_value(parse("46"), "minimum", 41.0, cells)
    assert p.kind == "other_row_value" and "row 6" in p.text and "rank 2" in p.text
    assert diagnosis.other_row_value(parse("41"), "minimum", 41.0, cells) is None
    assert diagnosis.other_row_value(parse("80"), "maximum", 158.2, [(7, 80.7), (5, 158.2)]) is None


def test_alternative_only_when_it_reproduces():
    assert diagnosis.alternative(parse("Seven"), "weaned or reduced", 7.0, "count").kind == "alternative"
    assert diagnosis.alternative(parse("Seven"), "weaned", 6.0, "count") is None


def test_fmt_is_positional_with_six_significant_digits():
    assert diagnosis.fmt(0.0158005962) == "0.0158006"
    assert diagnosis.fmt(214.11111) == "214.111"
    assert diagnosis.fmt(7.0) == "7"
    assert diagnosis.fmt(0.00001234567) == "0.0000123457"


def test_a_value_printed_only_when_rounded_up_or_down_names_the_rule():
    up = diagnosis.directed_rounding(parse("2.68"), 2.671)
    assert up.kind == "directed_rounding" and up.text.startswith("reproduced only by rounding up (ceiling): 2.671 prints")
    assert "as 2.67 when rounded" in up.text
    down = diagnosis.directed_rounding(parse("-2.68"), -2.671)
    assert "rounding down (floor)" in down.text
    assert diagnosis.directed_rounding(parse("2.68"), 2.665) is None  # two units away: no single-step rule
    assert diagnosis.directed_rounding(parse("<0.05"), 0.06) is None
