"""Second, independent check of the transcription: parse the table rows of the source text and
compare them with the CSVs cell by cell (skipped when ../shared/seeds is absent)."""

import csv
import re


from tests.conftest import DATASETS, seed_text

SOURCE = "000_fd8e2488305cd4cf.txt"
FOLDER = DATASETS / "ohtomo2005"


def _rows(name):
    with (FOLDER / name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _source_lines():
    # '\ufffd' is the extracted minus sign in this document (see the seeds README).
    return [line.replace("\ufffd", "-") for line in seed_text(SOURCE).splitlines()]


def _row_lines(pattern, expected):
    found = [m for m in (re.match(pattern, line) for line in _source_lines()) if m]
    assert len(found) == expected, f"expected {expected} source rows, found {len(found)}"
    return found


AGE = r"(\d+ years?, \d+ months?)"
NUM = r"(-?\d+(?:\.\d+)?)"


def test_table1_cells_equal_source_rows():
    rows = _rows("table1_background.csv")
    pattern = rf"^(\d) {AGE}, ([MF]) {AGE} {NUM} {NUM} {NUM} {NUM}$"
    for m, row in zip(_row_lines(pattern, 9), rows):
        assert list(m.groups()) == [row["patient"], row["age_printed"], row["sex"], row["onset_age_printed"],
                                    row["height_sd_score"], row["gfr_schwartz_ml_min_173m2"],
                                    row["csa_duration_months"], row["csa_trough_pre_mzr_ng_ml"]]


def test_table2_cells_equal_source_rows():
    """A plain value followed by ``<x>`` is that column's cumulative 12-month counterpart."""
    rows = {r["patient"]: r for r in _rows("table2_laboratory.csv")}
    cell = rf"{NUM}\s*(?:<{NUM}>)?"
    pattern = rf"^(\d) {cell} {cell} {cell} {cell} {NUM} {NUM} (\d)/(\d)$"
    matches = _row_lines(pattern, 9)
    for m in matches:
        g = [x or "" for x in m.groups()]
        row = rows[g[0]]
        assert g[1:] == [row[c] for c in (
            "csa_dose_pre_mg_kg_day", "csa_cum_pre_12m_mg_kg_day", "csa_dose_12m_mg_kg_day", "csa_cum_post_12m_mg_kg_day",
            "psl_dose_pre_mg_kg_day", "psl_cum_pre_12m_mg_kg_day", "psl_dose_12m_mg_kg_day", "psl_cum_post_12m_mg_kg_day",
            "mzr_dose_mg_kg_day", "mzr_c2_ug_ml", "relapses_pre", "relapses_post")]


def test_table3_cells_equal_source_rows():
    rows = {r["patient"]: r for r in _rows("table3_clinical.csv")}
    pair = r"(\S+)/(\S+)"
    full = rf"^(\d) (\d)/(\d) {pair} {pair} {pair} {pair}$"
    failed = r"^(\d)\* (\d)/(\d) - - - -$"
    for m in _row_lines(full, 7):
        g, row = m.groups(), rows[m.group(1)]
        assert row["mzr_failure"] == "false"
        assert list(g[1:]) == [row[c] for c in list(row)[2:]]
    for m in _row_lines(failed, 2):
        row = rows[m.group(1)]
        assert row["mzr_failure"] == "true" and [row["relapses_pre"], row["relapses_post"]] == list(m.groups()[1:])
        assert all(row[c] == "-" for c in list(row)[4:])


def test_relapse_counts_agree_between_table2_and_table3():
    t2 = {r["patient"]: (r["relapses_pre"], r["relapses_post"]) for r in _rows("table2_laboratory.csv")}
    t3 = {r["patient"]: (r["relapses_pre"], r["relapses_post"]) for r in _rows("table3_clinical.csv")}
    assert t2 == t3


def test_kagawa_summary_tables_equal_source_rows():
    text = re.sub(r"\s+", " ", seed_text("001_28c76da32ca7c279.txt"))
    with (DATASETS / "kagawa" / "table2_followup.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    by_var = {}
    for r in rows:
        cell = (f"{r['mean']} ({r['sd']})" if r["mean"] else f"{r['count']} ({r['percent']})")
        by_var.setdefault(r["variable"], []).append(cell + (" " + r["mark"] if r["mark"] == "*" else r["mark"]))
    for variable, cells in by_var.items():
        assert " ".join(cells) in text, variable
    with (DATASETS / "kagawa" / "table1_baseline.csv").open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["mean"]:
                assert f"{r['mean']} ({r['sd']}); range, {r['range_low']}\u2013{r['range_high']}" in text, r["row"]
            elif r["percent"]:
                assert f"{r['count']} ({r['percent']})" in text, r["row"]
