import json
import math
from fractions import Fraction

import pytest

from reanalysis.datasets import load_dataset
from reanalysis.errors import DataError


def _edit_csv(folder, name, old, new, count=1):
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


@pytest.fixture
def folder(project):
    return project / "datasets" / "ohtomo2005"


def test_loads_the_three_ohtomo_tables(folder):
    d = load_dataset(folder)
    assert list(d.tables) == ["table1", "table2", "table3"]
    assert all(len(t.frame) == 9 for t in d.tables.values())
    t3 = d.tables["table3"].frame
    assert t3["weight_pre_kg"].isna().sum() == 2  # '-' for patients 5 and 7 is missing, not zero
    assert d.tables["table2"].frame["psl_cum_pre_12m_mg_kg_day"].isna().sum() == 2


@pytest.mark.parametrize("file, old, new, message", [
    ("table3_clinical.csv", "52.8", "52,8", "12 cells, expected 12|13 cells, expected 12"),
    ("table3_clinical.csv", "52.8", "5x.8", "row 2, column 'weight_pre_kg': value '5x.8' is not a number"),
    ("table1_background.csv", ",98,", ",98.5,", "row 2, column 'csa_duration_months': value '98.5' is not an integer"),
    ("table1_background.csv", "\n2,", "\n1,", "row 3, column 'patient': duplicate value 1"),
    ("table1_background.csv", ",M,", ",X,", "row 2, column 'sex': value 'X' is not one of"),
    ("table1_background.csv", "46.4", "4640", "row 2, column 'csa_trough_pre_mzr_ng_ml': value '4640' is above"),
    ("table3_clinical.csv", "1,false", "1,no", "row 2, column 'mzr_failure': value 'no' is not a boolean"),
    ("table1_background.csv", "12 years, 9 months\",153", "12 years, 9 months\",154", "row 2, column 'age_months': value 154"),
    ("table1_background.csv", "12 years, 9 months", "12 years, 13 months", "months must be 0 to 11"),
    ("table2_laboratory.csv", "1,3.13", "1,", "row 2, column 'csa_dose_pre_mg_kg_day': value '' is a missing-value code but the field is required"),
    ("table1_background.csv", "gfr_schwartz_ml_min_173m2,", "", "column 'gfr_schwartz_ml_min_173m2': column missing"),
    ("table1_background.csv", "csa_trough_pre_mzr_ng_ml\n", "csa_trough_pre_mzr_ng_ml,extra\n", "column 'extra': column not in the schema"),
])
def test_bad_cells_name_file_row_column_and_value(folder, file, old, new, message):
    _edit_csv(folder, file, old, new)
    with pytest.raises(DataError) as err:
        load_dataset(folder)
    assert file in str(err.value)
    assert any(m in str(err.value) for m in message.split("|")), str(err.value)


def test_semicolon_delimited_file_is_named(folder):
    path = folder / "table3_clinical.csv"
    path.write_text(path.read_text().replace(",", ";"))
    with pytest.raises(DataError, match="must be comma-separated"):
        load_dataset(folder)


def test_empty_and_header_only_files(folder):
    path = folder / "table3_clinical.csv"
    header = path.read_text().splitlines()[0]
    path.write_text("")
    with pytest.raises(DataError, match="the file is empty"):
        load_dataset(folder)
    path.write_text(header + "\n")
    with pytest.raises(DataError, match="header but no rows"):
        load_dataset(folder)


def test_non_utf8_file(folder):
    path = folder / "table1_background.csv"
    path.write_bytes(path.read_bytes().replace(b"M,", b"\xe9,", 1))
    with pytest.raises(DataError, match="not UTF-8"):
        load_dataset(folder)


def test_missing_files(folder):
    (folder / "table2_laboratory.csv").unlink()
    with pytest.raises(DataError, match="table2_laboratory.csv: file not found"):
        load_dataset(folder)
    (folder / "datapackage.json").unlink()
    with pytest.raises(DataError, match="datapackage.json: file not found"):
        load_dataset(folder)


@pytest.mark.parametrize("path", ["../ohtomo2005/table1_background.csv", "/etc/passwd"])
def test_paths_may_not_leave_the_paper_folder(folder, path):
    meta = json.loads((folder / "datapackage.json").read_text())
    meta["resources"][0]["path"] = path
    (folder / "datapackage.json").write_text(json.dumps(meta))
    with pytest.raises(DataError, match="leaves the paper folder"):
        load_dataset(folder)


def test_invalid_json_names_line(folder):
    (folder / "datapackage.json").write_text('{"resources": [\n,]}')
    with pytest.raises(DataError, match="line 2, column 1: invalid JSON"):
        load_dataset(folder)


def test_every_field_declares_type_unit_or_meaning(folder):
    meta = json.loads((folder / "datapackage.json").read_text())
    assert meta["doi"] == "10.1007/s00467-005-2025-3"
    for res in meta["resources"]:
        assert res["source_location"].startswith("Table ")
        for f in res["schema"]["fields"]:
            assert f["type"] in ("integer", "number", "boolean", "string") and f["title"]


def _derived_package(tmp_path, derived):
    folder = tmp_path / "paper"
    folder.mkdir()
    (folder / "t.csv").write_text("id,before,after\n1,2.1,1.0\n2,3.3,\n", encoding="utf-8")
    fields = [{"name": "id", "type": "integer"}, {"name": "before", "type": "number"},
              {"name": "after", "type": "number"}, {"name": "change", "title": "after - before", **derived}]
    meta = {"name": "paper", "resources": [{"name": "t", "path": "t.csv", "schema": {"fields": fields,
                                                                               "primaryKey": ["id"]}}]}
    (folder / "datapackage.json").write_text(json.dumps(meta), encoding="utf-8")
    return folder


def test_a_derived_column_is_computed_exactly_and_missing_where_an_input_is(tmp_path):
    folder = _derived_package(tmp_path, {"type": "number", "x-derived": "after - before"})
    table = load_dataset(folder, verify_hashes=False).tables["t"]
    assert table.exact["change"] == (Fraction(-11, 10), None)
    assert list(table.frame.columns) == ["id", "before", "after", "change"] and math.isnan(table.frame["change"][1])


@pytest.mark.parametrize("derived, message", [
    ({"type": "integer", "x-derived": "after - before"}, "a derived field has type number"),
    ({"type": "number", "x-derived": "after ** 2"}, "may hold only numbers, names"),
    ({"type": "number", "x-derived": "after - height"}, "uses 'height', which is not a stored numeric column"),
    ({"type": "number", "x-derived": "2"}, "names no column"),
    ({"type": "number", "x-derived": "after / (before - before)"}, "row 2, column 'change': expression"),
])
def test_a_malformed_derived_column_is_a_data_error(tmp_path, derived, message):
    with pytest.raises(DataError, match=message.replace("(", r"\(").replace(")", r"\)").replace("*", r"\*")):
        load_dataset(_derived_package(tmp_path, derived), verify_hashes=False)


@pytest.mark.parametrize("roles, message", [
    (("events", "size"), "field 'after' has x-role 'size'; known roles: events, n,"),
    (("events", "events"), "x-role 'events' is given to more than one field"),
])
def test_column_roles_are_known_and_given_once(tmp_path, roles, message):
    folder = _derived_package(tmp_path, {"type": "number", "x-derived": "after - before"})
    meta = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    for field, role in zip(meta["resources"][0]["schema"]["fields"][1:3], roles):
        field["x-role"] = role
    (folder / "datapackage.json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(DataError, match=message):
        load_dataset(folder, verify_hashes=False)


def test_a_primary_key_may_be_one_fields_name_as_a_string(tmp_path):
    folder = _derived_package(tmp_path, {"type": "number", "x-derived": "after - before"})
    meta = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    meta["resources"][0]["schema"]["primaryKey"] = "id"
    (folder / "datapackage.json").write_text(json.dumps(meta), encoding="utf-8")
    assert load_dataset(folder, verify_hashes=False).tables["t"].primary_key == ("id",)


def test_the_hash_message_shows_both_hashes_whole(tmp_path):
    import re
    import shutil

    from tests.conftest import DATASETS

    folder = tmp_path / "ohtomo2005"
    shutil.copytree(DATASETS / "ohtomo2005", folder)
    path = folder / "table3_clinical.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("52.8", "52.9", 1), encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_dataset(folder)
    assert len(re.findall(r"sha256:[0-9a-f]{64}\b", str(err.value))) == 2


def _table_package(tmp_path, text, key=("id",)):
    folder = tmp_path / "paper"
    folder.mkdir(exist_ok=True)
    (folder / "t.csv").write_bytes(text.encode("utf-8"))
    fields = [{"name": "id", "type": "integer"}, {"name": "x", "type": "number"}, {"name": "arm", "type": "string"}]
    meta = {"name": "paper", "resources": [{"name": "t", "path": "t.csv",
                                            "schema": {"fields": fields, "primaryKey": list(key)}}]}
    (folder / "datapackage.json").write_text(json.dumps(meta), encoding="utf-8")
    return folder


def test_a_large_table_peaks_at_a_few_times_its_size(tmp_path):
    """Cells are kept as float arrays and joined text, fractions made on demand: 1 MiB of cells peaked
    at 7.1 MiB (it was about 80 MiB with a Python object and a Fraction per cell)."""
    import tracemalloc

    rows = [f"{i},{i % 97}.{i % 10}5,{'ab'[i % 2]}" for i in range(1, 70_000)]
    text = "id,x,arm\n" + "\n".join(rows) + "\n"
    folder = _table_package(tmp_path, text)
    tracemalloc.start()
    try:
        table = load_dataset(folder, verify_hashes=False).tables["t"]
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 * len(text)
    assert table.exact["x"][12_344] == Fraction("26.55") and table.frame["x"][12_344] == 26.55
    assert table.position[12_345] == 12_344


def test_integer_keys_beyond_float_precision_are_compared_exactly(tmp_path):
    # 2**53 and 2**53 + 1 are one float: the fast check on floats defers to the exact one
    folder = _table_package(tmp_path, "id,x,arm\n9007199254740992,1,a\n9007199254740993,2,b\n")
    assert load_dataset(folder, verify_hashes=False).tables["t"].exact["id"][1] == 2 ** 53 + 1
    folder = _table_package(tmp_path, "id,x,arm\n9007199254740993,1,a\n9007199254740993,2,b\n")
    with pytest.raises(DataError, match=r"row 3, column 'id'.*duplicate key 9007199254740993, first seen on row 2"):
        load_dataset(folder, verify_hashes=False)


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"])
def test_each_line_ending_reads_the_same(tmp_path, ending):
    folder = _table_package(tmp_path, ending.join(["id,x,arm", "1,2.5,a", "2,3,b"]) + ending)
    assert load_dataset(folder, verify_hashes=False).tables["t"].exact["x"] == (Fraction(5, 2), Fraction(3))
