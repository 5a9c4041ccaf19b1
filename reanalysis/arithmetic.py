"""Arithmetic between numbers of any kind, and the one way the claims language points at a number.

A reference (a TOML table) is one of:

``{ claim = "id" }``
    The value another claim prints, anywhere within its rounding (``whole = true``: a printed count,
    exact).
``{ table = "t", row = "key", column = "c" }``
    One cell, exact.
``{ table = "t", column = "c", statistic = "mean" }``
    A column statistic (mean, variance, min, max, median, quantile with ``prob``, iqr), exact, over an
    optional ``subset``, with ``missing`` and the statistic's own keys as its analysis takes them.
``{ table = "t", rows = true }``
    The number of rows, over an optional ``subset`` and ``where``.
``{ value = "365.25" }``
    A number written in decimal.

The ``arithmetic`` analysis evaluates an ``expression`` (:mod:`reanalysis.expressions`) of named
references: ``expression = "a + b"``, ``of = { a = { claim = "..." }, b = { table = "t", rows = true } }``.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from fractions import Fraction

from reanalysis import conditions, describe, expressions
from reanalysis.context import Context, Outcome, Recomputed

STATISTICS = ("mean", "variance", "min", "max", "median", "quantile", "iqr")
_FORMS = (({"claim"}, {"whole"}), ({"table", "row", "column"}, {"whole"}),
          ({"table", "column", "statistic"}, {"subset", "missing", "prob", "type", "denominator"}),
          ({"table", "rows"}, {"subset", "where"}), ({"value"}, set()))


def resolve(ctx: Context, name: str, ref) -> tuple:
    """The number a reference points at, as (value, words): an exact Fraction, or for a printed value
    within its rounding the pair (low, high)."""
    if not isinstance(ref, dict):
        ctx.fail(f"'of': {name} must be a table such as {{ claim = \"id\" }}, got {ref!r}")
    form = next((f for f in _FORMS if f[0] <= set(ref) and set(ref) <= f[0] | f[1]), None)
    if form is None:
        ctx.fail(f"'of': {name} = {ref!r} is none of {{ claim }}, {{ table, row, column }}, "
                 "{ table, column, statistic }, { table, rows = true }, { value }")
    if "claim" in ref:
        if ref["claim"] == ctx.claim_id:
            ctx.fail(f"'of': {name} refers to the claim itself")
        return _printed(ctx, name, ctx.printed(ref["claim"]), ref, ref["claim"])
    if "row" in ref:
        if ctx.table(ref["table"]).fields.get(ref["column"], {}).get("type") == "string":  # a summary cell as printed
            return _printed(ctx, name, ctx.printed_cell(ref["table"], ref["row"], ref["column"]), ref,
                            f"{ref['table']}.{ref['column']} of row {ref['row']!r}")
        value = ctx.cell(ref["table"], ref["row"], ref["column"])
        return value, f"{name} = {ref['table']}.{ref['column']} of row {ref['row']!r}"
    if "statistic" in ref:
        if ref["statistic"] not in STATISTICS:
            ctx.fail(f"'of': {name}: statistic {ref['statistic']!r} is not one of {', '.join(STATISTICS)}")
        params = {k: v for k, v in ref.items() if k != "statistic"}
        try:
            rec = describe.statistic(ref["statistic"])(ctx, params)
        except ValueError as e:
            ctx.fail(f"'of': {name}: {e}")
        return rec.value, f"{name} = {rec.method}"
    if "rows" in ref:
        if ref["rows"] is not True:
            ctx.fail(f"'of': {name}: rows must be true")
        rows = ctx.rows(ref["table"], ref.get("subset"))
        said = ""
        if "where" in ref:
            try:
                mask, said = conditions.select(rows, ctx.table(ref["table"]).fields, ref["where"])
            except ValueError as e:
                ctx.fail(f"'of': {name}: {e}")
            rows = rows[mask]
            said = f" where {said}"
        return Fraction(len(rows)), f"{name} = {len(rows)} rows of {ref['table']} ({describe.subset_label(ref)}){said}"
    try:
        if isinstance(ref["value"], str):
            return Fraction(Decimal(ref["value"])), f"{name} = {ref['value']}"
    except (InvalidOperation, ValueError):
        pass
    ctx.fail(f"'of': {name}: value must be a decimal written as a string, got {ref['value']!r}")


def _printed(ctx: Context, name: str, printed, ref: dict, where: str) -> tuple:
    """A printed number: exact when ``whole`` says it is a count, else every value within its rounding."""
    if ref.get("whole"):
        if printed.kind != "number" or printed.value != int(printed.value):
            ctx.fail(f"'of': {name}: {where} does not print a whole count")
        return Fraction(printed.value), f"{name} = {printed.text} ({where})"
    iv = printed.interval("half_up")
    return (Fraction(iv.low), Fraction(iv.high)), f"{name} = {printed.text} ({where}, within its rounding)"


def arithmetic(ctx: Context, params: dict) -> Recomputed:
    """An expression of named numbers (``of``: claims, cells, column statistics, row counts, literals),
    computed exactly: a printed count plus a recomputed one, a percentage change. With a printed value
    that is not a whole count among them, the evidence is every value the expression takes with that
    value anywhere within its rounding (a check, at best consistent)."""
    text = params["expression"]
    try:
        tree = expressions.parse(text)
    except ValueError as e:
        ctx.fail(str(e))
    unused = set(params["of"]) - expressions.names(tree)
    if unused:
        ctx.fail(f"'of' names {sorted(unused)[0]!r}, which the expression {text!r} does not use")
    values, words = {}, []
    for name in sorted(expressions.names(tree)):
        if name not in params["of"]:
            ctx.fail(f"expression {text!r} uses {name!r}, which 'of' does not define")
        values[name], said = resolve(ctx, name, params["of"][name])
        words.append(said)
    try:
        result = expressions.evaluate(tree, text, values)
        nominal = expressions.evaluate(tree, text, {k: (v[0] + v[1]) / 2 if isinstance(v, tuple) else v
                                                    for k, v in values.items()})
    except ValueError as e:
        ctx.fail(str(e))
    method = f"{text} with " + "; ".join(words)
    if not isinstance(result, tuple):  # resting on printed counts, it is at best consistent
        return Recomputed(result, f"{method}, exact", len(values),
                          summary=any("claim" in ref for ref in params["of"].values()))
    low, high = result

    def check(printed) -> Outcome:
        iv = printed.interval("half_up")
        return Outcome(Fraction(iv.high) >= low and Fraction(iv.low) <= high, nominal)
    return Recomputed(None, f"{method}: from {float(low):.6g} to {float(high):.6g}, every value the printed inputs "
                      "can stand for", len(values), check=check, summary=True)


def n_of(ctx, params: dict) -> int:
    """n, from the reference ``params["n"]`` (the rows of a table, a count cell, a literal): a whole number of at
    least 1."""
    value, said = resolve(ctx, "n", params["n"])
    if isinstance(value, tuple) or value.denominator != 1 or value < 1:
        ctx.fail(f"'n' must be a whole number of at least 1; {said}")
    return int(value)
