"""Row conditions of the claims language: which rows of a table a statistic is about.

A condition is a TOML table, one of:

``{ column = "sex", op = "==", value = "F" }``
    A column against a literal of its type; ``op`` is one of ``== != < <= > >=``, or ``in``
    with a list of literals.
``{ column = "dose_after", op = "<", other = "dose_before" }``
    A column against another column of the same row.
``{ column = "follow_up", op = "has_value" }``, ``op = "is_missing"``
    Whether the cell holds a value.
``{ all = [...] }``, ``{ any = [...] }``, ``{ not = {...} }``
    Combinations, evaluated left to right: a condition in ``all`` is asked only of the rows that
    met the ones before it, so ``all = [{ column = "x", op = "has_value" }, { column = "x", op =
    ">", value = 3 }]`` reads a column with missing cells without meeting them.

A comparison that meets a missing cell is an error, never silently false.
"""

from __future__ import annotations

import operator

import pandas as pd

COMPARE = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt,
           ">=": operator.ge}
PRESENCE = {"has_value": True, "is_missing": False}
OPS = tuple(COMPARE) + ("in",) + tuple(PRESENCE)


def select(frame: pd.DataFrame, fields: dict, cond) -> tuple[pd.Series, str]:
    """The rows of ``frame`` meeting ``cond`` (a boolean mask), and the condition in words.

    Parameters
    ----------
    frame : DataFrame
        The candidate rows; missing cells are NA.
    fields : dict
        The table's Table Schema fields by name (their ``type`` checks literals).
    cond : dict
        A condition (see the module docstring).

    Raises
    ------
    ValueError
        For a malformed condition, an unknown column, a literal of the wrong type, or a comparison
        that meets a missing cell.
    """
    live = pd.Series(True, index=frame.index)
    return _mask(frame, fields, cond, live), describe(cond)


def describe(cond) -> str:
    """A condition in words: ``sex == 'F' and (age >= 18 or not dose has_value)``."""
    if "all" in cond or "any" in cond:
        word = "all" if "all" in cond else "any"
        inner = [describe(c) for c in cond[word]]
        joined = f" {'and' if word == 'all' else 'or'} ".join(
            f"({t})" if " and " in t or " or " in t else t for t in inner)
        return joined
    if "not" in cond:
        return f"not ({describe(cond['not'])})"
    if cond["op"] in PRESENCE:
        return f"{cond['column']} {cond['op'].replace('_', ' ')}"
    return f"{cond['column']} {cond['op']} {cond['other'] if 'other' in cond else repr(cond['value'])}"


def _mask(frame, fields, cond, live: pd.Series) -> pd.Series:
    if not isinstance(cond, dict):
        raise ValueError(f"a condition must be a table, got {cond!r}")
    keys = set(cond)
    if keys in ({"all"}, {"any"}):
        word = next(iter(keys))
        parts = cond[word]
        if not isinstance(parts, list) or not parts:
            raise ValueError(f"'{word}' needs a non-empty list of conditions")
        if word == "all":
            met = live
            for part in parts:
                met = met & _mask(frame, fields, part, met)
            return met
        met = pd.Series(False, index=frame.index)
        for part in parts:
            met = met | _mask(frame, fields, part, live & ~met)
        return met
    if keys == {"not"}:
        return live & ~_mask(frame, fields, cond["not"], live)
    return live & _leaf(frame, fields, cond, live)


def _leaf(frame, fields, cond, live) -> pd.Series:
    op = cond.get("op")
    if op not in OPS or not isinstance(cond.get("column"), str):
        raise ValueError(f"a condition needs a 'column' and an 'op' among {' '.join(OPS)} (or is all / any / not), "
                         f"got {cond!r}")
    given = set(cond) - {"column", "op"}
    if not (given == {"value"} if op == "in" else given == set() if op in PRESENCE else given in ({"value"}, {"other"})):
        wants = ("no other key" if op in PRESENCE else "a 'value' (a list)" if op == "in"
                 else "either a 'value' or an 'other' column")
        raise ValueError(f"condition {cond!r}: op {op!r} takes {wants}")
    column = _column(frame, fields, cond["column"])
    if op in PRESENCE:
        return column.notna() if PRESENCE[op] else column.isna()
    kind = fields[cond["column"]]["type"]
    if "other" in cond:
        other = _column(frame, fields, cond["other"])
    else:
        literals = cond["value"] if op == "in" else [cond["value"]]
        if op == "in" and not isinstance(literals, list):
            raise ValueError(f"condition on {cond['column']}: op 'in' needs a list of values")
        for literal in literals:
            if not fits(literal, kind):
                raise ValueError(f"condition compares {cond['column']} ({kind}) with {literal!r}, which is not a "
                                 "literal of that type (to compare with another column, name it as 'other')")
        other = cond["value"]
    met = pd.Series(False, index=frame.index)
    rows = live[live].index
    for series in (column, other):
        if isinstance(series, pd.Series) and series.loc[rows].isna().any():
            raise ValueError(f"condition {describe(cond)} meets missing cells; ask only rows that have a value, "
                             f"with all = [{{ column = \"{series.name}\", op = \"has_value\" }}, ...], or choose "
                             "a subset without them")
    here = column.loc[rows]
    there = other.loc[rows] if isinstance(other, pd.Series) else other
    met.loc[rows] = here.isin(there) if op == "in" else COMPARE[op](here, there)
    return met


def _column(frame, fields, name) -> pd.Series:
    if not isinstance(name, str) or name not in fields:
        raise ValueError(f"the table has no column {name!r}")
    return frame[name]


def fits(value, kind: str) -> bool:
    """Whether a TOML literal can equal a cell of a column of this Table Schema type."""
    if kind == "boolean":
        return isinstance(value, bool)
    if kind in ("integer", "number"):
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, str)
