"""Descriptive statistics of a column, exact: the mean, SD, variance, SE, minimum, maximum, median,
quantiles and IQR of the transcribed decimals, each an analysis ``(context, params) -> Recomputed``."""

from __future__ import annotations

from fractions import Fraction
from typing import Callable

from reanalysis import exact, quantiles
from reanalysis.context import Context, Recomputed

CONVERSIONS = {"months_to_years": (Fraction(1, 12), "months / 12")}


def subset_label(params: dict) -> str:
    return f"subset '{params['subset']}'" if params.get("subset") else "all rows"


DDOF = {"n-1": 1, "n": 0}
_EXACT = "exact arithmetic on the transcribed decimals"


def _spread(kind: str) -> Callable:
    """SD, variance or SE with the declared denominator (``n-1``, R's default, or ``n``)."""
    def compute(x, params) -> tuple:
        ddof = DDOF[params.get("denominator", "n-1")]
        den = "n - 1" if ddof else "n"
        if kind == "variance":
            return exact.variance(x, ddof), f"variance, {den} denominator, {_EXACT} (R: var{'' if ddof else ' * (n - 1) / n'})"
        if kind == "sd":
            return exact.sd(x, ddof), (f"{'sample ' if ddof else ''}SD, {den} denominator, {_EXACT} and compared "
                                       f"through its square (R: sd{'' if ddof else ' * sqrt((n - 1) / n)'})")
        return (exact.Root(exact.variance(x, ddof) / len(x)),
                f"standard error of the mean, SD ({den} denominator) / sqrt(n), {_EXACT} and compared through its "
                "square (R: sd(x) / sqrt(length(x)))")
    return compute


_DESCRIBE = {
    "mean": lambda x, params: (exact.mean(x), f"mean, {_EXACT} (R: mean)"),
    "sd": _spread("sd"),
    "variance": _spread("variance"),
    "se": _spread("se"),
    "min": lambda x, params: (min(x), "minimum"),
    "max": lambda x, params: (max(x), "maximum"),
    "median": lambda x, params: (quantiles.median(x), f"median, {_EXACT} (R: median)"),
    "quantile": lambda x, params: (quantiles.quantile(x, params["prob"], params.get("type", 7)),
                                   f"quantile at {params['prob']}, R's type {params.get('type', 7)}, {_EXACT} "
                                   f"(R: quantile(x, {params['prob']}, type = {params.get('type', 7)}))"),
    "iqr": lambda x, params: (quantiles.iqr(x, params.get("type", 7)),
                              f"interquartile range, R's quantile type {params.get('type', 7)}, {_EXACT} "
                              f"(R: IQR(x, type = {params.get('type', 7)}))"),
}


_DESCRIBE_DOCS = {
    "mean": "The mean of a column over a subset, exact.",
    "sd": "The SD of a column over a subset (``denominator`` n-1, the sample SD, or n), exact, compared through its square.",
    "variance": "The variance of a column over a subset (``denominator`` n-1 or n), exact.",
    "se": "The standard error of the mean, SD / sqrt(n), of a column over a subset, exact, compared through its square.",
    "min": "The smallest value of a column over a subset.",
    "max": "The largest value of a column over a subset.",
    "median": "The median of a column over a subset, exact.",
    "quantile": "A quantile of a column over a subset at ``prob``, with R's quantile ``type`` (1 to 9, default 7), exact.",
    "iqr": "The interquartile range of a column over a subset, with R's quantile ``type`` (default 7), exact.",
}


def statistic(name: str) -> Callable:
    function = _DESCRIBE[name]

    def run(ctx: Context, params: dict) -> Recomputed:
        x = ctx.exact_values(params["table"], params["column"], params.get("subset"), params.get("missing"))
        value, label = function(x, params)
        available = ", the rows that have a value" if params.get("missing") else ""
        method = f"{label} of {params['table']}.{params['column']} ({subset_label(params)}{available}, n = {len(x)})"
        conversion = params.get("convert")
        if conversion is not None:
            factor, text = CONVERSIONS[conversion]
            value = exact.Root(value.square * factor ** 2) if isinstance(value, exact.Root) else value * factor
            method = f"{method}, converted as {text}"
        return Recomputed(value, method, len(x))
    run.__name__ = name
    run.__doc__ = _DESCRIBE_DOCS[name]
    return run
