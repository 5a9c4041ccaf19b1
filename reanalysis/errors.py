"""Project exceptions: bad input is reported as one line, never as a traceback."""


class ReanalysisError(Exception):
    """Base class for every error caused by bad input (data, metadata or claims)."""


class DataError(ReanalysisError):
    """A dataset file, its metadata or one of its cells is not what the schema declares."""


class ClaimError(ReanalysisError):
    """A claims file or one of its entries is malformed or points at something that does not exist."""


def locate(file, *, row=None, column=None, claim=None) -> str:
    """Format where an error is, as ``file, row R, column C`` (or ``claim ID``).

    Examples
    --------
    >>> locate("datasets/x/t.csv", row=3, column="age")
    "datasets/x/t.csv, row 3, column 'age'"
    """
    parts = [str(file)]
    if row is not None:
        parts.append(f"row {row}")
    if column is not None:
        parts.append(f"column {column!r}")
    if claim is not None:
        parts.append(f"claim {claim!r}")
    return ", ".join(parts)
