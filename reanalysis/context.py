"""What an analysis works with: the context that resolves a paper's tables, subsets, cells and claims,
and the evidence records an analysis returns (:class:`Recomputed`, with a check's :class:`Outcome`)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Callable

import numpy as np

from reanalysis import conditions, rounding
from reanalysis.claims import Comparison, PaperClaims
from reanalysis.datasets import Dataset
from reanalysis.errors import ClaimError


@dataclass(frozen=True)
class Outcome:
    """What a check says of one printed value: accepted or not, the value it found (shown as the
    recomputed value), and a clause for the method text. ``decided`` is False when the check gave up
    without a proof either way (a search that ran out of budget): the value counts as accepted, so a
    neighbour it cannot settle never adds to a strength, and a printed value it cannot settle is not
    recomputable."""

    ok: bool
    value: object
    detail: str = ""
    decided: bool = True


@dataclass(frozen=True)
class Recomputed:
    """The evidence an analysis returns, with the exact method and the rows it used.

    ``value`` is a recomputed number: a ``Fraction`` or :class:`~reanalysis.exact.Root` for exact
    arithmetic on transcribed decimals, a float for a library statistic. ``check``, when set, is
    a function of a printed value (:class:`~reanalysis.rounding.Printed`) returning an
    :class:`Outcome`; bounds and consistency checks are judged through it, never by reading the
    claim. ``summary``: this evidence rests on other printed numbers, so it can make a claim
    ``consistent``, never ``reproduced`` (whatever its analysis can give otherwise).
    """

    value: object
    method: str
    n: int
    check: Callable | None = None
    summary: bool = False


@dataclass(frozen=True)
class PairedData:
    """The before and after values of one paired comparison, in patient order."""

    comparison: Comparison
    keys: tuple
    before: tuple
    after: tuple


class Context:
    """Resolves tables, subsets, columns and other claims for one paper; raises ClaimError on bad references."""

    def __init__(self, dataset: Dataset, paper: PaperClaims, claim_id: str, section: str = "claim"):
        self.dataset, self.paper, self.claim_id = dataset, paper, claim_id
        self._where = f"claim {claim_id!r}" if section == "claim" else f"[[{section}]] {claim_id!r}"
        self.cells_read = []  # (table, row key, column) of every single cell an analysis read

    def circular(self) -> list:
        """The cells read so far that were transcribed from this claim's own printed text."""
        return [(t, k, c) for t, k, c in self.cells_read if self.table(t).claim_cells.get((k, c)) == self.claim_id]

    def fail(self, message: str):
        raise ClaimError(f"{self.paper.path}, {self._where}: {message}")

    def table(self, name: str):
        if name not in self.dataset.tables:
            self.fail(f"unknown table {name!r}; the datapackage has {', '.join(self.dataset.tables)}")
        return self.dataset.tables[name]

    def rows(self, table: str, subset: str | None):
        """The rows of ``table`` in ``subset`` (all rows when None), matched through the primary key."""
        t = self.table(table)
        frame = t.frame
        if subset is None:
            return frame
        if subset not in self.paper.subsets:
            self.fail(f"unknown subset {subset!r}; declared: {', '.join(self.paper.subsets) or 'none'}")
        s = self.paper.subsets[subset]
        source = self.table(s.table)
        try:
            mask, _ = conditions.select(source.frame, source.fields, s.where)
        except ValueError as e:
            self.fail(f"subset {subset!r}: {e}")
        keep = source.frame[mask]
        if s.table == table:
            return frame.loc[keep.index]
        if not t.primary_key or tuple(t.primary_key) != tuple(source.primary_key):
            self.fail(f"subset {subset!r} is defined on table {s.table!r}, which shares no primary key with {table!r}")
        key = list(t.primary_key)
        wanted = set(keep[key].itertuples(index=False, name=None))
        return frame[[tuple(r) in wanted for r in frame[key].itertuples(index=False, name=None)]]

    def role(self, table: str, role: str, optional: bool = False) -> str | None:
        """The column of ``table`` whose schema declares ``"x-role": role`` (None when optional and absent)."""
        for name, field in self.table(table).fields.items():
            if field.get("x-role") == role:
                return name
        if not optional:
            self.fail(f"table {table!r} declares no column with x-role {role!r}; add \"x-role\": \"{role}\" to "
                      "that column's field in datapackage.json")
        return None

    def column_name(self, table: str, column: str) -> str:
        if column not in self.table(table).fields:
            self.fail(f"table {table!r} has no column {column!r}")
        return column

    def values(self, table: str, column: str, subset: str | None, missing: str | None = None) -> np.ndarray:
        """A numeric column over a subset. Missing cells are an error, never silently dropped, unless
        ``missing = "available"``: then only the rows that have a value are used."""
        rows = self.present(table, (column,), subset, missing)
        return rows[column].to_numpy(dtype=float)

    def exact_values(self, table: str, column: str, subset: str | None, missing: str | None = None) -> list:
        """A numeric column over a subset as exact fractions of the transcribed text (``missing`` as in
        :meth:`values`)."""
        rows = self.present(table, (column,), subset, missing)
        cells = self.table(table).exact[column]
        return [cells[i] for i in rows.index]

    def present(self, table: str, columns: tuple, subset: str | None, missing: str | None):
        """The rows of ``table`` in ``subset`` whose numeric ``columns`` all have a value: all rows, or an
        error naming the column with missing cells, unless ``missing = "available"``."""
        rows = self.rows(table, subset)
        for column in columns:
            col = rows[self.column_name(table, column)]
            if self.table(table).fields[column]["type"] not in ("integer", "number"):
                self.fail(f"column {table}.{column} is not numeric")
            if missing == "available":
                rows = rows[col.notna()]
            elif col.isna().any():
                self.fail(f"column {table}.{column} has missing cells in {f'subset {subset!r}' if subset else 'all rows'}; use the "
                          "rows that have a value with missing = \"available\" (the n used is then reported), or "
                          "choose a subset without them")
        return rows

    def paired(self, comparison_id: str) -> PairedData:
        if comparison_id not in self.paper.comparisons:
            self.fail(f"unknown comparison {comparison_id!r}")
        c = self.paper.comparisons[comparison_id]
        before = self.values(c.table, c.before, c.subset)
        after = self.values(c.table, c.after, c.subset)
        key = self.table(c.table).primary_key
        keys = tuple(self.rows(c.table, c.subset)[key[0]].tolist()) if key else ()
        return PairedData(c, keys, tuple(before.tolist()), tuple(after.tolist()))

    def contrast(self, contrast_id: str):
        """A declared [[contrast]]."""
        if contrast_id not in self.paper.contrasts:
            self.fail(f"unknown contrast {contrast_id!r}; declared: {', '.join(self.paper.contrasts) or 'none'}")
        return self.paper.contrasts[contrast_id]

    def groups(self, contrast_id: str, column: str, missing: str | None = None) -> tuple:
        """The values of ``column`` in the two groups of a patient-row contrast: (treatment, comparator)."""
        c = self.contrast(contrast_id)
        if c.by is None:
            self.fail(f"contrast {contrast_id!r} compares two rows of a count table, not groups of patient rows "
                      "(declare 'by', the column whose values are the groups)")
        t = self.table(c.table)
        self.column_name(c.table, c.by)
        rows = self.present(c.table, (column,), c.subset, missing)
        out = []
        for value in (c.treatment, c.comparator):
            chosen = rows[rows[c.by] == value]
            if chosen.empty:
                self.fail(f"contrast {contrast_id!r}: no row of {c.table!r} has {c.by} = {value!r}")
            out.append([t.exact[column][i] for i in chosen.index])
        return tuple(out)

    def arms(self, contrast_id: str) -> tuple:
        """The (events, n) of the two rows of a count-table contrast: ((k1, n1), (k2, n2)), whole numbers."""
        c = self.contrast(contrast_id)
        if c.by is not None:
            self.fail(f"contrast {contrast_id!r} compares groups of patient rows, not two rows of a count table")
        events, n = self.role(c.table, "events"), self.role(c.table, "n")
        return tuple((self.whole(c.table, row, events), self.whole(c.table, row, n)) for row in (c.treatment, c.comparator))

    def whole(self, table: str, key, column: str) -> int:
        """One cell that must be a whole number (a count)."""
        value = self.cell(table, key, column)
        if value.denominator != 1:
            self.fail(f"cell {table}.{column} of row {key!r} is not a whole count: {value}")
        return int(value)

    def printed(self, claim_id: str):
        for claim in self.paper.claims:
            if claim.id == claim_id:
                if claim.printed is None:
                    self.fail(f"refers to claim {claim_id!r}, whose printed {claim.reported!r} holds several numbers "
                              "and names no part")
                return claim.printed
        self.fail(f"refers to unknown claim {claim_id!r}")

    def cell(self, table: str, key, column: str) -> Fraction:
        """One numeric cell, exact, found by a one-field primary key."""
        t = self.table(table)
        if len(t.primary_key) != 1:
            self.fail(f"table {table!r} needs a one-field primary key to find row {key!r}")
        name = t.primary_key[0]
        if key not in t.position:
            self.fail(f"table {table!r} has no row with {name} = {key!r}")
        self.column_name(table, column)
        if column not in t.exact:
            self.fail(f"column {table}.{column} is not numeric")
        value = t.exact[column][t.position[key]]
        self.cells_read.append((table, key, column))
        if value is None:
            self.fail(f"cell {table}.{column} of row {key!r} is missing")
        return value

    def printed_cell(self, table: str, key, column: str):
        """A summary cell kept as printed text, parsed by the rounding engine."""
        t = self.table(table)
        name = t.primary_key[0]
        row = t.frame[t.frame[name] == key]
        if len(row) != 1:
            self.fail(f"table {table!r} has no row with {name} = {key!r}")
        text = row[self.column_name(table, column)].iloc[0]
        if not isinstance(text, str) or not text:
            self.fail(f"cell {table}.{column} of row {key!r} is empty")
        try:
            return rounding.parse(text)
        except ValueError as e:
            self.fail(f"cell {table}.{column} of row {key!r}: {e}")
