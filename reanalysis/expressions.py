"""Arithmetic expressions of the claims language, evaluated exactly: ``"after - before"``,
``"100 * (k - k0) / k0"``, ``"a + b"``.

Numbers are written in decimal and read exactly (``0.1`` is 1/10); names stand for numbers the caller
supplies; the operators are ``+ - * /`` and parentheses. Each name may stand for an exact number
(a ``Fraction``) or for an interval of numbers (a pair ``(low, high)`` of Fractions: a printed value
within its rounding), and the result is then the interval of every value the expression can take.
Nothing else is accepted: a name the caller does not supply, a function call or a power is an error.
"""

from __future__ import annotations

import ast
import operator
from decimal import Decimal, InvalidOperation
from fractions import Fraction

_OPERATORS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
_EXACT_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}


def parse(text: str) -> ast.Expression:
    """The expression's syntax tree, after checking that it holds only numbers, names, ``+ - * /`` and
    parentheses.

    Raises
    ------
    ValueError
        Naming the first thing the expression may not hold.
    """
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"an expression must be a non-empty string, got {text!r}")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError:
        raise ValueError(f"expression {text!r} is not arithmetic (numbers, names, + - * / and parentheses)") from None
    for node in ast.walk(tree):
        ok = isinstance(node, (ast.Expression, ast.Name, ast.Load, ast.Constant, ast.UnaryOp, ast.USub, ast.UAdd))
        ok = ok or (isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS) or type(node) in _OPERATORS
        if isinstance(node, ast.Constant) and (isinstance(node.value, bool) or not isinstance(node.value, (int, float))):
            ok = False
        if not ok:
            raise ValueError(f"expression {text!r} may hold only numbers, names, + - * / and parentheses; "
                             f"{ast.unparse(node) if isinstance(node, ast.expr) else type(node).__name__!r} is not one")
    return tree


def names(tree: ast.Expression) -> set:
    """The names an expression uses."""
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}


def evaluate(tree: ast.Expression, text: str, values: dict):
    """The exact value of the expression, or the interval ``(low, high)`` of its values when any name
    stands for an interval.

    Raises
    ------
    ValueError
        For a name without a value, or a division by zero (or by an interval that holds zero).
    """
    missing = names(tree) - set(values)
    if missing:
        raise ValueError(f"expression {text!r} uses {sorted(missing)[0]!r}, which is not given")
    result = _eval(tree.body, text.strip(), values)
    return result if isinstance(result, tuple) and result[0] != result[1] else _exact(result)


def _exact(x):
    return x[0] if isinstance(x, tuple) else x


def _eval(node, text: str, values: dict):
    if isinstance(node, ast.Name):
        return values[node.id]
    if isinstance(node, ast.Constant):
        literal = ast.get_source_segment(text, node) or repr(node.value)
        try:
            return Fraction(Decimal(literal))
        except InvalidOperation:
            raise ValueError(f"expression {text!r}: {literal!r} is not a decimal number") from None
    if isinstance(node, ast.UnaryOp):
        inner = _eval(node.operand, text, values)
        if isinstance(node.op, ast.UAdd):
            return inner
        return (-inner[1], -inner[0]) if isinstance(inner, tuple) else -inner
    left, right = _eval(node.left, text, values), _eval(node.right, text, values)
    if not isinstance(left, tuple) and not isinstance(right, tuple):
        if isinstance(node.op, ast.Div) and right == 0:
            raise ValueError(f"expression {text!r} divides by zero")
        return _EXACT_OPS[type(node.op)](left, right)
    (a, b), (c, d) = (x if isinstance(x, tuple) else (x, x) for x in (left, right))
    if isinstance(node.op, ast.Add):
        return a + c, b + d
    if isinstance(node.op, ast.Sub):
        return a - d, b - c
    if isinstance(node.op, ast.Div):
        if c <= 0 <= d:
            raise ValueError(f"expression {text!r} divides by a value that can be zero")
        c, d = 1 / d, 1 / c
    products = (a * c, a * d, b * c, b * d)
    return min(products), max(products)
