"""Load a paper's datasets: ``datapackage.json`` plus the CSVs it describes, validated cell by cell.

A subset of Frictionless Table Schema is enforced: field order and names, types
(``integer``, ``number``, ``boolean``, ``string``), ``missingValues``, the constraints
``required``, ``unique``, ``minimum``, ``maximum``, ``enum`` and ``pattern``, and ``primaryKey``. One
project extension: a field with ``"x-printed-as": "<field>"`` must equal the months that
the printed age in ``<field>`` stands for, so the printed form and the number cannot drift apart.
Nothing is coerced: a cell that does not fit its declared type is an error naming file, row,
column, value and expectation. Each resource records the ``sha256`` of its file (``"hash":
"sha256:<hex>"``); a file whose bytes changed since it was audited is refused until the change is
re-recorded deliberately with ``python -m reanalysis rehash <paper>``.
"""

from __future__ import annotations

import array
import csv
import functools
import hashlib
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd

from reanalysis import expressions, rounding
from reanalysis.errors import DataError, locate
from reanalysis.files import read_bytes

_INTEGER = re.compile(r"[-+]?[0-9]+")  # ASCII digits only: int("1\u0669") is 19, and no cell is written so
_NUMBER = re.compile(r"[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?")
_BOOLEAN = {"true": True, "false": False}
_BREAKS = "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"  # what str.splitlines() breaks on: no cell holds one
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
# What a column is to the analyses that need one by meaning, declared in its schema field as "x-role":
# a count table's events and n, a summary table's count, mean, SD and range ends, an estimate and its CI.
ROLES = ("events", "n", "count", "mean", "sd", "range_low", "range_high", "estimate", "ci_low", "ci_high")
_TYPES = ("integer", "number", "boolean", "string")


@dataclass(frozen=True)
class Table:
    """One validated CSV: its rows as a DataFrame (missing cells are NaN/None) and its schema.

    ``exact`` holds every numeric column as exact fractions read from the CSV text (None where
    missing), in row order, so that the frame's index ``i`` is ``exact[column][i]``. ``claim_cells``
    maps ``(row key, column)`` to the id of the claim whose printed text the cell was transcribed
    from (``"x-transcribed-from-claims"`` in the resource): such a cell cannot check that claim.
    """

    name: str
    path: Path
    title: str
    source_location: str
    frame: pd.DataFrame
    fields: dict
    primary_key: tuple[str, ...]
    missing_values: tuple = ()
    exact: dict = None
    claim_cells: dict = None

    @functools.cached_property
    def position(self) -> dict:
        """Row key -> row position, for a one-field primary key (built once per table)."""
        if len(self.primary_key) != 1:
            return {}
        return {key: i for i, key in enumerate(self.frame[self.primary_key[0]])}


@dataclass(frozen=True)
class Dataset:
    """A paper's folder: metadata from ``datapackage.json`` and its validated tables by name."""

    paper: str
    folder: Path
    meta: dict
    tables: dict


def load_dataset(folder: Path, verify_hashes: bool = True) -> Dataset:
    """Read and validate ``folder/datapackage.json`` and every CSV it lists.

    With ``verify_hashes`` (the default) each file's sha256 must equal the hash recorded for it.

    Raises
    ------
    DataError
        For a missing or malformed file, a path that leaves the folder, a header that differs
        from the schema, or any cell that breaks its field's type or constraints.
    """
    folder = Path(folder)
    meta_path = folder / "datapackage.json"
    meta = _read_json(meta_path)
    _known(meta, "package", f"{meta_path}")
    for part, key in (("source", "sources"), ("license", "licenses")):
        entries = meta.get(key, [])
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            raise DataError(f"{meta_path}: {key!r} must be a list of objects")
        for i, entry in enumerate(entries):
            _known(entry, part, f"{meta_path}: {key}[{i}]")
    resources = meta.get("resources")
    if not isinstance(resources, list) or not resources:
        raise DataError(f"{meta_path}: 'resources' must be a non-empty list of tables")
    tables = {}
    for i, res in enumerate(resources):
        where = f"{meta_path}: resources[{i}]"
        if not isinstance(res, dict) or not isinstance(res.get("name"), str) or not isinstance(res.get("path"), str):
            raise DataError(f"{where}: each resource needs a 'name' and a 'path'")
        _known(res, "resource", where)
        if isinstance(res.get("schema"), dict):
            _known(res["schema"], "schema", f"{where}, schema")
        if res["name"] in tables:
            raise DataError(f"{where}: resource name {res['name']!r} is used twice")
        tables[res["name"]] = _load_table(folder, res, where, verify_hashes)
    return Dataset(paper=folder.name, folder=folder, meta=meta, tables=tables)


def rehash(folder: Path) -> list:
    """Record the sha256 of every valid CSV of a paper in its ``datapackage.json``.

    Returns
    -------
    list of (str, str or None, str)
        Resource name, the hash recorded before (None if none) and the new hash, for every
        resource whose hash changed.
    """
    folder = Path(folder)
    load_dataset(folder, verify_hashes=False)  # never record a hash for data that does not validate
    meta_path = folder / "datapackage.json"
    meta = _read_json(meta_path)
    changed = []
    for res in meta["resources"]:
        path = _resolve(folder, res["path"], f"{meta_path}, resource {res.get('name')!r}")
        new = "sha256:" + hashlib.sha256(read_bytes(path, f"listed as {res.get('name')!r}", DataError, folder)).hexdigest()
        if res.get("hash") != new:
            changed.append((res["name"], res.get("hash"), new))
            res["hash"] = new
    if changed:
        meta_path.write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return changed


def _read_json(path: Path) -> dict:
    data = read_bytes(path, "the paper's datapackage.json", DataError, inside=path.parent)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise DataError(f"{path}: not UTF-8 (byte {e.start})") from None
    if text.startswith("\ufeff"):
        raise DataError(f"{path}: starts with a byte-order mark (BOM); save it as UTF-8 without a BOM")
    try:
        meta = json.loads(text, object_pairs_hook=_unique_keys(path), parse_constant=_no_constant(path))
    except json.JSONDecodeError as e:
        raise DataError(f"{path}, line {e.lineno}, column {e.colno}: invalid JSON ({e.msg})") from None
    except RecursionError:
        raise DataError(f"{path}: arrays or objects nested too deeply to read") from None
    if not isinstance(meta, dict):
        raise DataError(f"{path}: expected a JSON object")
    return meta


_CONSTRAINTS = ("required", "unique", "minimum", "maximum", "enum", "pattern")


# The keys each part of datapackage.json may hold: any other would be ignored, so it is refused (a typo such as
# "constrains" would switch a constraint off silently).
_KEYS = {
    "package": {"name", "title", "citation", "doi", "licenses", "sources", "resources", "description", "x-audit",
                "x-source-file", "x-transcription"},
    "resource": {"name", "path", "format", "encoding", "title", "description", "source_location", "schema", "hash",
                 "x-transcribed-from-claims"},
    "schema": {"fields", "primaryKey", "missingValues"},
    "source": {"title", "path", "email", "version", "x-not-shipped"},
    "license": {"name", "path", "title"},
    "field": {"name", "type", "title", "description", "unit", "constraints", "x-role", "x-derived", "x-printed-as"},
}


def _known(entry: dict, part: str, where: str) -> None:
    unknown = sorted(set(entry) - _KEYS[part])
    if unknown:
        raise DataError(f"{where}: unknown key {unknown[0]!r}; allowed: {', '.join(sorted(_KEYS[part]))}")


def _check_field(where: str, field: dict) -> None:
    """A field's keys and constraints are of the kinds and types this reader enforces (an unknown one would be
    ignored)."""
    name, cons = field["name"], field.get("constraints", {})
    at = f"{where}, field {name!r}"
    _known(field, "field", at)
    if not isinstance(cons, dict):
        raise DataError(f"{at}: 'constraints' must be an object, got {cons!r}")
    for key, value in cons.items():
        if key not in _CONSTRAINTS:
            raise DataError(f"{at}: constraint {key!r} is not supported; supported: {', '.join(_CONSTRAINTS)}")
        if key in ("required", "unique") and not isinstance(value, bool):
            raise DataError(f"{at}: constraint {key!r} must be true or false, got {value!r}")
        if key in ("minimum", "maximum") and (field["type"] not in ("integer", "number") or isinstance(value, bool)
                                               or not isinstance(value, (int, float)) or not math.isfinite(value)):
            raise DataError(f"{at}: constraint {key!r} must be a finite number on a numeric field, got {value!r}")
        if key == "enum" and (not isinstance(value, list) or not value):
            raise DataError(f"{at}: constraint 'enum' must be a non-empty list, got {value!r}")
        if key == "pattern":
            if not isinstance(value, str):
                raise DataError(f"{at}: constraint 'pattern' must be a string, got {value!r}")
            try:
                re.compile(value)
            except re.error as e:
                raise DataError(f"{at}: constraint 'pattern' {value!r} is not a valid regular expression ({e})") from None


def _unique_keys(path: Path):
    """A JSON object hook that refuses a key given twice (json keeps the last one silently)."""
    def build(pairs: list) -> dict:
        seen = {}
        for key, value in pairs:
            if key in seen:
                raise DataError(f"{path}: key {key!r} appears twice in one JSON object; keep one")
            seen[key] = value
        return seen
    return build


def _no_constant(path: Path):
    """A JSON hook that refuses NaN and Infinity (not JSON, but accepted by Python's reader)."""
    def refuse(name: str):
        raise DataError(f"{path}: {name} is not a JSON number; write a finite number")
    return refuse


def _resolve(folder: Path, relative: str, where: str) -> Path:
    candidate = Path(relative)
    if candidate.is_absolute() or ".." in candidate.parts:
        raise DataError(f"{where}: path {relative!r} leaves the paper folder; use a path inside {folder}")
    return folder / candidate


def _load_table(folder: Path, res: dict, where: str, verify_hashes: bool) -> Table:
    path = _resolve(folder, res["path"], where)
    schema = res.get("schema")
    if not isinstance(schema, dict) or not isinstance(schema.get("fields"), list) or not schema["fields"]:
        raise DataError(f"{where}: 'schema.fields' must list the table's columns")
    fields = {}
    for f in schema["fields"]:
        if not isinstance(f, dict) or not isinstance(f.get("name"), str) or f.get("type") not in _TYPES:
            raise DataError(f"{where}: field {f!r} needs a name and a type among {', '.join(_TYPES)}")
        _check_field(where, f)
        fields[f["name"]] = f
    roles = [(f["name"], f["x-role"]) for f in schema["fields"] if "x-role" in f]
    for name, role in roles:
        if role not in ROLES:
            raise DataError(f"{where}: field {name!r} has x-role {role!r}; known roles: {', '.join(ROLES)}")
        if [r for _, r in roles].count(role) > 1:
            raise DataError(f"{where}: x-role {role!r} is given to more than one field")
    codes = schema.get("missingValues", [""])
    if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
        raise DataError(f"{where}: 'schema.missingValues' must be a list of strings, got {codes!r}")
    missing_codes = set(codes)
    data = read_bytes(path, f"listed in datapackage.json as {res['name']!r}", DataError, inside=folder)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise DataError(f"{path}: not UTF-8 (invalid byte at offset {e.start}); save the file as UTF-8") from None
    if text.startswith("\ufeff"):
        raise DataError(f"{path}: starts with a byte-order mark (BOM); save it as UTF-8 without a BOM")
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    del data  # from here on the text alone, read one line at a time, so that the peak stays a few times the file
    stored = [name for name, f in fields.items() if "x-derived" not in f]
    numeric = {name for name in stored if fields[name]["type"] in ("integer", "number")}
    columns = {name: array.array("d") if name in numeric else [] for name in stored}
    texts = {name: _Joined() for name in numeric}  # the cell text of each value, for exact arithmetic
    rows = csv.reader(_lines(text), strict=True)
    r = 0
    try:
        for r, cells in enumerate(rows, start=1):
            bad = next((c for c in cells if any(ch in c for ch in _BREAKS)), None)
            if bad is not None:
                raise DataError(f"{locate(path, row=r)}: cell {bad!r} holds a line break; a cell is one line")
            if r == 1:
                header = cells
                if header != stored:
                    raise DataError(_header_problem(path, header, stored))
                continue
            if len(cells) != len(header):
                raise DataError(f"{locate(path, row=r)}: {len(cells)} cells, expected {len(header)} "
                                "(comma-separated, one per column)")
            for name, raw in zip(header, cells):
                value = _cell(raw, fields[name], missing_codes, locate(path, row=r, column=name))
                if name in numeric:
                    columns[name].append(math.nan if value is None else float(value))
                    texts[name].append("" if value is None else raw)
                else:
                    columns[name].append(value)
    except csv.Error as e:
        raise DataError(f"{path}: not a valid CSV file ({e})") from None
    del text
    if r == 0:
        raise DataError(f"{path}: the file is empty; expected a header row {','.join(fields)}")
    if r == 1:
        raise DataError(f"{path}: the table has a header but no rows")
    exact = _ExactColumns({name: texts[name].text() for name in numeric})
    key = schema.get("primaryKey", ())
    key = (key,) if isinstance(key, str) else tuple(key)  # Table Schema allows one field's name as a string
    for k in key:
        if k not in fields:
            raise DataError(f"{where}: primaryKey names {k!r}, which is not a field")
    def values(name: str) -> list:
        return _values(fields[name], columns[name], exact, name)

    for name in stored:
        f = fields[name]
        if f.get("constraints", {}).get("unique") and not (name in numeric and _all_distinct(columns[name])):
            _check_unique(path, name, values(name))
        printed = f.get("x-printed-as")
        if printed is not None:
            _check_printed(path, name, printed, columns, exact)
    if verify_hashes:
        _check_hash(path, res, folder, digest)
    if key:
        if not (len(key) == 1 and key[0] in numeric and _all_distinct(columns[key[0]])):
            _check_key(path, key, list(zip(*map(values, key))) if len(key) > 1 else values(key[0]))
    for name, f in fields.items():
        if "x-derived" in f:
            exact.store(name, _derived(path, name, f, fields, exact))
            columns[name] = array.array("d", (math.nan if v is None else float(v) for v in exact[name]))
    frame = pd.DataFrame({name: _series(columns[name], fields[name]) for name in fields})
    return Table(res["name"], path, res.get("title", res["name"]), res.get("source_location", ""), frame, fields, key,
                 tuple(missing_codes), exact, _claim_cells(res, where, key, fields, values))


def _derived(path: Path, name: str, field: dict, fields: dict, exact: dict) -> tuple:
    """A declared derived column (``"x-derived": "after - before"``), computed exactly row by row from the
    stored numeric columns; missing where any of its inputs is missing."""
    text = field["x-derived"]
    where = f"{path}, field {name!r}, x-derived"
    if field["type"] != "number":
        raise DataError(f"{where}: a derived field has type number, not {field['type']!r}")
    try:
        tree = expressions.parse(text)
    except ValueError as e:
        raise DataError(f"{where}: {e}") from None
    if not expressions.names(tree):
        raise DataError(f"{where}: {text!r} names no column")
    for used in sorted(expressions.names(tree)):
        if used not in exact or "x-derived" in fields[used]:
            raise DataError(f"{where}: {text!r} uses {used!r}, which is not a stored numeric column of the table")
    rows = []
    for r, inputs in enumerate(zip(*(exact[u] for u in sorted(expressions.names(tree)))), start=2):
        values = dict(zip(sorted(expressions.names(tree)), inputs))
        if any(v is None for v in inputs):
            rows.append(None)
            continue
        try:
            rows.append(expressions.evaluate(tree, text, values))
        except ValueError as e:
            raise DataError(f"{locate(path, row=r, column=name)}: {e}") from None
    return tuple(rows)


def _claim_cells(res: dict, where: str, key: tuple, fields: dict, values) -> dict:
    """``{(row key, column): claim id}`` from the resource's ``x-transcribed-from-claims`` list."""
    entries = res.get("x-transcribed-from-claims", [])
    if not isinstance(entries, list):
        raise DataError(f"{where}: 'x-transcribed-from-claims' must be a list of {{claim, column, rows}}")
    cells, rows_present = {}, None
    for i, entry in enumerate(entries):
        at = f"{where}: x-transcribed-from-claims[{i}]"
        if not isinstance(entry, dict) or set(entry) != {"claim", "column", "rows"} or not isinstance(entry["claim"], str):
            raise DataError(f"{at}: expected {{claim, column, rows}} with a claim id")
        if entry["column"] not in fields:
            raise DataError(f"{at}: column {entry['column']!r} is not a field")
        if len(key) != 1:
            raise DataError(f"{at}: the table needs a one-field primaryKey to name rows")
        rows = entry["rows"]
        if not isinstance(rows, list) or not rows:
            raise DataError(f"{at}: 'rows' must be a non-empty list of row keys")
        rows_present = set(values(key[0])) if rows_present is None else rows_present
        for row in rows:
            if row not in rows_present:
                raise DataError(f"{at}: no row with {key[0]} = {row!r}")
            cells[row, entry["column"]] = entry["claim"]
    return cells


def _check_hash(path: Path, res: dict, folder: Path, actual: str) -> None:
    recorded = res.get("hash")
    fix = f"if the change is deliberate, re-record it with `python -m reanalysis rehash {folder.name}`"
    if recorded is None:
        raise DataError(f"{path}: no sha256 recorded in datapackage.json (a new file, or its hash was removed); once "
                        f"the file is as you mean it, record it with `python -m reanalysis rehash {folder.name}`")
    if recorded != actual:
        raise DataError(f"{path}: file changed since it was audited (its sha256 is {actual}, the recorded one "
                        f"{recorded}); {fix}")


def _header_problem(path: Path, header: list, expected: list) -> str:
    if len(header) == 1 and len(expected) > 1:
        return (f"{path}, row 1: one column {header[0]!r}; the file must be comma-separated with columns "
                f"{','.join(expected)}")
    missing = [c for c in expected if c not in header]
    extra = [c for c in header if c not in expected]
    if missing:
        return f"{path}, row 1, column {missing[0]!r}: column missing; the schema expects {','.join(expected)}"
    if extra:
        return f"{path}, row 1, column {extra[0]!r}: column not in the schema; the schema expects {','.join(expected)}"
    return f"{path}, row 1: columns out of order {','.join(header)}; the schema expects {','.join(expected)}"


def _cell(raw: str, field: dict, missing_codes: set, where: str):
    cons = field.get("constraints", {})
    if raw in missing_codes:
        if cons.get("required"):
            raise DataError(f"{where}: value {raw!r} is a missing-value code but the field is required")
        return None
    kind = field["type"]
    if kind in ("integer", "number") and len(raw) > 30:
        raise DataError(f"{where}: value {raw[:40]!r}... has {len(raw)} characters; a numeric cell has at most 30")
    if kind == "integer":
        if not _INTEGER.fullmatch(raw):
            raise DataError(f"{where}: value {raw!r} is not an integer")
        value = int(raw)
    elif kind == "number":
        if not _NUMBER.fullmatch(raw):
            raise DataError(f"{where}: value {raw!r} is not a number")
        value = float(raw)
    elif kind == "boolean":
        if raw not in _BOOLEAN:
            raise DataError(f"{where}: value {raw!r} is not a boolean; expected true or false")
        value = _BOOLEAN[raw]
    else:
        value = raw
    if "pattern" in cons and not re.fullmatch(cons["pattern"], raw):
        raise DataError(f"{where}: value {raw!r} does not match the pattern {cons['pattern']}")
    if "enum" in cons and value not in cons["enum"]:
        raise DataError(f"{where}: value {raw!r} is not one of {cons['enum']}")
    if "minimum" in cons and value < cons["minimum"]:
        raise DataError(f"{where}: value {raw!r} is below the declared minimum {cons['minimum']}")
    if "maximum" in cons and value > cons["maximum"]:
        raise DataError(f"{where}: value {raw!r} is above the declared maximum {cons['maximum']}")
    return value


def _all_distinct(column: array.array) -> bool:
    """Whether a numeric column is present in every row with no value twice, decided on its floats (distinct
    floats are distinct values) without a Python object per cell; False sends it to the exact check."""
    floats = np.frombuffer(column, dtype=np.float64)
    return not np.isnan(floats).any() and np.unique(floats).size == floats.size


def _check_unique(path: Path, name: str, values: list) -> None:
    seen = {}
    for r, v in enumerate(values, start=2):
        if v is not None and v in seen:
            raise DataError(f"{locate(path, row=r, column=name)}: duplicate value {v!r}, first seen on row {seen[v]}")
        seen[v] = r


def _check_key(path: Path, key: tuple, rows: list) -> None:
    if len(set(rows)) == len(rows):  # a set, not a dict of first rows: the common case costs least
        return
    seen = {}
    for r, row_key in enumerate(rows, start=2):
        if row_key in seen:
            raise DataError(f"{locate(path, row=r, column=','.join(key))}: duplicate key {row_key!r}, "
                            f"first seen on row {seen[row_key]}")
        seen[row_key] = r


def _check_printed(path: Path, name: str, printed_field: str, columns: dict, exact: _ExactColumns) -> None:
    if printed_field not in columns:
        raise DataError(f"{path}: field {name!r} says x-printed-as {printed_field!r}, which is not a field")
    values = exact[name] if name in exact else columns[name]
    for r, (text, value) in enumerate(zip(columns[printed_field], values), start=2):
        if text is None or value is None:
            continue
        try:
            printed = rounding.parse(text)
        except ValueError as e:
            raise DataError(f"{locate(path, row=r, column=printed_field)}: {e}") from None
        if printed.value != value:
            raise DataError(f"{locate(path, row=r, column=name)}: value {_shown(value)} but {printed_field} "
                            f"{text!r} stands for {printed.value}")


def _series(values, field: dict) -> pd.Series:
    if field["type"] in ("integer", "number"):
        return pd.Series(np.frombuffer(values, dtype=np.float64), dtype=np.float64)
    return pd.Series(values, dtype=object)


def _values(field: dict, column, exact: _ExactColumns, name: str) -> list:
    """A key or unique column's values as Python objects (None where missing): exact ints for integers,
    from their floats while those are exact (below 2**53), so that the column's fractions stay unmade."""
    if field["type"] == "number":
        return [None if math.isnan(v) else v for v in column]
    if field["type"] == "integer":
        if all(abs(v) < 2 ** 53 for v in column if not math.isnan(v)):
            return [None if math.isnan(v) else int(v) for v in column]
        return [None if v is None else int(v) for v in exact[name]]
    return column


def _shown(value) -> str:
    return repr(int(value) if isinstance(value, Fraction) and value.denominator == 1 else
                float(value) if isinstance(value, Fraction) else value)


def _lines(text: str):
    """The lines of ``text`` one at a time, each with its ending (``\\n``, ``\\r\\n`` or ``\\r``), as
    :func:`csv.reader` needs them, without a list of them all."""
    return (m.group() for m in _LINE.finditer(text))


class _Joined:
    """Cell texts kept as a few long strings instead of one object per cell (a tenth of the memory)."""

    def __init__(self):
        self._chunks, self._pending = [], []

    def append(self, text: str) -> None:
        self._pending.append(text)
        if len(self._pending) == 4096:
            self._chunks.append("\n".join(self._pending))
            self._pending = []

    def text(self) -> str:
        return "\n".join(self._chunks + ["\n".join(self._pending)] if self._pending else self._chunks)


class _ExactColumns(Mapping):
    """Column name -> the column's exact values (``Fraction``, None where missing), each made from the cell
    text when first asked for: a large table's columns cost their text, not a ``Fraction`` per cell,
    until an analysis reads them."""

    def __init__(self, texts: dict):
        self._texts, self._values = texts, {}

    def __getitem__(self, name: str) -> tuple:
        if name not in self._values:
            text = self._texts[name]  # KeyError for a column that is not numeric, as for a dict
            self._values[name] = tuple(None if t == "" else Fraction(t) for t in text.split("\n"))
        return self._values[name]

    def __iter__(self):
        return iter(dict.fromkeys([*self._texts, *self._values]))

    def __len__(self) -> int:
        return len(set(self._texts) | set(self._values))

    def store(self, name: str, values: tuple) -> None:
        """Add a column computed elsewhere (a derived one)."""
        self._values[name] = values

    def cells(self, name: str) -> tuple:
        """A stored column's cells as the CSV prints them ("" where missing); a derived column has none."""
        return tuple(self._texts[name].split("\n")) if name in self._texts else ()
