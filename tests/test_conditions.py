import pandas as pd
import pytest

from reanalysis import conditions

FIELDS = {"sex": {"type": "string"}, "age": {"type": "integer"}, "fu": {"type": "number"},
          "before": {"type": "number"}, "after": {"type": "number"}, "treated": {"type": "boolean"}}
FRAME = pd.DataFrame({
    "sex": ["F", "M", "F", "M", "F"],
    "age": [30, 45, 52, 17, 64],
    "fu": [1.5, None, 3.0, None, 4.5],
    "before": [2.0, 3.0, 1.0, 4.0, 2.5],
    "after": [1.0, 3.5, 1.0, 2.0, 3.0],
    "treated": [True, False, True, True, False],
})


def rows(cond):
    mask, _ = conditions.select(FRAME, FIELDS, cond)
    return list(FRAME.index[mask])


@pytest.mark.parametrize("cond, expected, text", [
    ({"column": "sex", "op": "==", "value": "F"}, [0, 2, 4], "sex == 'F'"),
    ({"column": "age", "op": ">=", "value": 45}, [1, 2, 4], "age >= 45"),
    ({"column": "sex", "op": "in", "value": ["M"]}, [1, 3], "sex in ['M']"),
    ({"column": "after", "op": "<", "other": "before"}, [0, 3], "after < before"),
    ({"column": "fu", "op": "has_value"}, [0, 2, 4], "fu has value"),
    ({"column": "fu", "op": "is_missing"}, [1, 3], "fu is missing"),
    ({"all": [{"column": "sex", "op": "==", "value": "F"}, {"column": "age", "op": "<", "value": 60}]}, [0, 2],
     "sex == 'F' and age < 60"),
    ({"any": [{"column": "age", "op": "<", "value": 18}, {"column": "treated", "op": "==", "value": False}]}, [1, 3, 4],
     "age < 18 or treated == False"),
    ({"not": {"column": "treated", "op": "==", "value": True}}, [1, 4], "not (treated == True)"),
    # a cut-off that differs by sex
    ({"any": [{"all": [{"column": "sex", "op": "==", "value": "F"}, {"column": "age", "op": ">", "value": 50}]},
              {"all": [{"column": "sex", "op": "==", "value": "M"}, {"column": "age", "op": ">", "value": 40}]}]},
     [1, 2, 4], "(sex == 'F' and age > 50) or (sex == 'M' and age > 40)"),
])
def test_conditions_select_rows_and_say_what_they_are(cond, expected, text):
    mask, said = conditions.select(FRAME, FIELDS, cond)
    assert list(FRAME.index[mask]) == expected and said == text


def test_all_asks_each_condition_only_of_the_rows_that_met_the_ones_before():
    """A column with missing cells is read only on the rows that have a value: no error, no silent drop."""
    cond = {"all": [{"column": "fu", "op": "has_value"}, {"column": "fu", "op": ">", "value": 2}]}
    assert rows(cond) == [2, 4]
    with pytest.raises(ValueError, match="condition fu > 2 meets missing cells; ask only rows that have a value"):
        rows({"column": "fu", "op": ">", "value": 2})
    with pytest.raises(ValueError, match="meets missing cells"):
        rows({"all": [{"column": "fu", "op": ">", "value": 2}, {"column": "fu", "op": "has_value"}]})
    with pytest.raises(ValueError, match="meets missing cells"):
        rows({"not": {"column": "fu", "op": ">", "value": 2}})


def test_any_asks_each_condition_only_of_the_rows_not_yet_met():
    cond = {"any": [{"column": "fu", "op": "is_missing"}, {"column": "fu", "op": ">", "value": 4}]}
    assert rows(cond) == [1, 3, 4]


@pytest.mark.parametrize("cond, message", [
    ({"column": "sex", "op": "~", "value": "F"}, "a condition needs a 'column' and an 'op' among"),
    ({"op": "==", "value": "F"}, "a condition needs a 'column'"),
    ({"column": "sex", "op": "==", "value": "F", "other": "age"}, "op '==' takes either a 'value' or an 'other' column"),
    ({"column": "sex", "op": "==",}, "op '==' takes either a 'value' or an 'other' column"),
    ({"column": "fu", "op": "has_value", "value": 1}, "op 'has_value' takes no other key"),
    ({"column": "sex", "op": "in", "other": "age"}, "op 'in' takes a 'value' (a list)"),
    ({"column": "sex", "op": "in", "value": "F"}, "op 'in' needs a list of values"),
    ({"column": "height", "op": ">", "value": 1}, "the table has no column 'height'"),
    ({"column": "age", "op": ">", "other": "height"}, "the table has no column 'height'"),
    ({"column": "age", "op": "==", "value": "45"}, "compares age (integer) with '45', which is not a literal of that type"),
    ({"column": "treated", "op": "==", "value": 1}, "compares treated (boolean) with 1"),
    ({"all": []}, "'all' needs a non-empty list of conditions"),
    ({"any": {"column": "sex"}}, "'any' needs a non-empty list of conditions"),
    ({"not": "sex"}, "a condition must be a table, got 'sex'"),
    ({"all": [{"column": "sex", "op": "==", "value": "F"}], "any": []}, "a condition needs a 'column'"),
])
def test_malformed_conditions_are_value_errors(cond, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")):
        rows(cond)


def test_fits_matches_literals_to_column_types():
    assert conditions.fits(True, "boolean") and not conditions.fits(1, "boolean")
    assert conditions.fits(1.5, "number") and not conditions.fits(True, "integer") and not conditions.fits("1", "number")
    assert conditions.fits("F", "string") and not conditions.fits(1, "string")
