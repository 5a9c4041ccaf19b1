import csv
import io

import pytest

from reanalysis.results import (CLAIM_COLUMNS, claims_csv, comparisons_csv, mismatches, proportions_csv,
                                pvalue_methods_csv, scorecard)

CONTRACT = ("paper", "claim_id", "location", "quote", "reported", "recomputed", "verdict", "method", "decision_error",
            "diagnosis")


def test_claims_csv_starts_with_the_contract_columns(ohtomo):
    rows = list(csv.reader(io.StringIO(claims_csv([ohtomo]))))
    assert tuple(rows[0][:len(CONTRACT)]) == CONTRACT and tuple(rows[0]) == CLAIM_COLUMNS
    assert len(rows) - 1 == len(ohtomo.verdicts)


def test_claims_csv_keeps_printed_text_and_explains_every_non_reproduced_row(ohtomo):
    rows = list(csv.DictReader(io.StringIO(claims_csv([ohtomo]))))
    by_id = {r["claim_id"]: r for r in rows}
    assert by_id["results-csa-dose-max"]["reported"] == "5.30"
    assert by_id["table1-age-mean"]["reported"] == "17 years, 9 months"
    assert by_id["abstract-weaned-count"]["reported"] == "Seven"
    assert by_id["results-relapse-p"]["recomputed"] == "0.0158006"
    for r in rows:
        assert r["paper"] == "ohtomo2005" and r["decision_error"] in ("true", "false")
        if r["verdict"] in ("discrepant", "not_recomputable"):
            assert r["diagnosis"], r["claim_id"]
        assert (r["recomputed"] == "") == (r["verdict"] == "not_recomputable")
        assert (r["reason"] != "") == (r["verdict"] == "not_recomputable")
    assert by_id["results-side-effect-count"]["reason"] == "source_lacks_data"


def test_every_not_recomputable_claim_has_one_reason_and_the_scorecard_counts_each(ohtomo):
    card = scorecard(ohtomo)
    assert card["source_lacks_data"] + card["check_cannot_fail"] + card["vocabulary_lacks"] == card["not_recomputable"]
    assert card["source_lacks_data"] > 0 and card["check_cannot_fail"] > 0
    by_id = {v.claim_id: v for v in ohtomo.verdicts}
    assert by_id["results-side-effect-count"].reason == "source_lacks_data"
    weak = [v for v in ohtomo.verdicts if v.reason == "check_cannot_fail"]
    assert weak and all(v.strength == 0 for v in weak)


def test_comparisons_csv_has_every_paired_test(ohtomo):
    rows = list(csv.DictReader(io.StringIO(comparisons_csv([ohtomo]))))
    assert [r["comparison"] for r in rows] == ["relapses", "csa-cumulative", "psl-cumulative", "weight", "upcr", "sbp", "dbp"]
    assert rows[0]["n"] == "9" and rows[0]["df"] == "8" and rows[0]["p_t"] == "0.0158006"


def test_scorecard_counts_every_claim(ohtomo):
    card = scorecard(ohtomo)
    assert sum(card[v] for v in ("reproduced", "consistent", "discrepant", "not_recomputable")) == len(ohtomo.verdicts)
    assert card["decision_errors"] == 1
    assert mismatches([ohtomo]) == []


def test_outputs_equal_the_committed_results():
    """Evaluated afresh in this process (no shared fixture), every committed results table is reproduced
    byte for byte: verdicts, recomputed values, methods, diagnoses, intervals."""
    from reanalysis.engine import evaluate_all
    from tests.conftest import DATASETS, ROOT

    from reanalysis.report import markdown

    papers = evaluate_all(DATASETS)
    for name, render in (("claims.csv", claims_csv), ("comparisons.csv", comparisons_csv),
                         ("proportions.csv", proportions_csv), ("pvalue_methods.csv", pvalue_methods_csv),
                         ("report.md", markdown)):
        assert render(papers) == (ROOT / "results" / name).read_text(encoding="utf-8"), name


def test_claims_that_share_a_finding_count_once(ohtomo):
    from reanalysis.results import findings

    groups = dict(findings(ohtomo.verdicts))
    assert [v.claim_id for v in groups["trough-target"]] == ["results-trough-target-low", "results-trough-target-high"]
    assert [v.claim_id for v in groups["results-psl-cum-pre-mean"]] == ["results-psl-cum-pre-mean"]
    card = scorecard(ohtomo)
    assert card["discrepant"] == 10 and card["findings"] == 8


@pytest.mark.parametrize("cell, written", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+SUM(A1)", "'+SUM(A1)"), ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
    ("-0.5", "-0.5"), ("+0.75", "+0.75"), ("0.016", "0.016"), ("Table 1", "Table 1"), (-3, -3), ("", ""),
])
def test_text_a_spreadsheet_would_run_is_neutralised(cell, written):
    from reanalysis.results import _csv, spreadsheet_safe

    assert spreadsheet_safe(cell) == written
    row = _csv(("a",), [(cell,)]).split("\n", 1)[1]
    assert next(csv.reader(io.StringIO(row)))[0] == str(written)


def test_a_cell_starting_with_a_carriage_return_is_neutralised():
    """(A claims file cannot hold one: control characters are refused on input, tests/test_bad_input.py.)"""
    from reanalysis.results import spreadsheet_safe

    assert spreadsheet_safe("\rx") == "'\rx"
