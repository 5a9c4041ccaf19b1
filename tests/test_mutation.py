"""Sampled data-mutation test (the full sweep is `make mutation`)."""

import csv
import io
import json

import pytest

from reanalysis import mutation
from reanalysis.cli import main
from tests.conftest import DATASETS

SAMPLE = 40


@pytest.mark.parametrize("text, position, expected", [
    ("52.8", "last", "52.9"), ("0.19", "last", "0.18"), ("0", "last", "1"), ("-2.46", "last", "-2.47"),
    ("0.002", "first", "0.003"), ("118.2", "first", "218.2"), ("9", "first", "8"),
])
def test_perturb_changes_one_digit(text, position, expected):
    assert mutation.perturb(text, position) == expected


@pytest.fixture(scope="module")
def sampled():
    folders = sorted(p for p in DATASETS.iterdir() if p.is_dir())
    return [r for f in folders for r in mutation.sweep(f, sample=SAMPLE)]


def test_every_sampled_cell_that_feeds_a_claim_is_detected_or_explained(sampled):
    """A cell whose change no verdict shows must only feed claims that a move this small cannot flip."""
    fed = [r for r in sampled if r.feeds]
    assert fed, "the sample feeds no claim"
    unexplained = [r for r in fed if not r.explained]
    assert unexplained == [], mutation.summary(unexplained)


def test_first_digit_slips_are_caught_by_the_claims():
    results = mutation.sweep(DATASETS / "ohtomo2005", sample=SAMPLE, position="first")
    fed = [r for r in results if r.feeds]
    assert sum(bool(r.detected) for r in fed) / len(fed) >= 0.9


@pytest.mark.parametrize("index", range(8))
def test_check_refuses_any_edited_cell_on_disk(project, capsys, index):
    """Whatever the claims say, `check` fails on an edited transcription: its sha256 changed."""
    folder = project / "datasets" / "ohtomo2005"
    table, row, key, column, text = mutation.cells(folder)[index * 29]
    meta = json.loads((folder / "datapackage.json").read_text())
    path = folder / next(r["path"] for r in meta["resources"] if r["name"] == table)
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    col = rows[0].index(column)
    assert rows[row + 1][col] == text
    rows[row + 1][col] = mutation.perturb(text)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    assert main(["--root", str(project), "check"]) == 2
    err = capsys.readouterr().err
    assert path.name in err and err.count("\n") == 1
    # Refused by the sha256, unless a cross-check of the same file speaks first (age months vs printed age).
    assert ("file changed since it was audited" in err and "python -m reanalysis rehash ohtomo2005" in err) or (
        "stands for" in err)


def test_a_derived_column_is_not_a_transcribed_cell_to_mutate():
    from reanalysis.mutation import cells
    from tests.conftest import ROOT
    found = cells(ROOT / "docs" / "example")
    assert found and {c[3] for c in found} >= {"score_before", "score_after"} and "change" not in {c[3] for c in found}
