import pytest

from reanalysis.claims import load_claims
from reanalysis.engine import evaluate_all, evaluate_paper
from reanalysis.errors import ClaimError
from tests.conftest import DATASETS

ALL = [(folder.name, claim) for folder in sorted(p for p in DATASETS.iterdir() if p.is_dir())
       for claim in load_claims(folder / "claims.toml").claims]


@pytest.fixture(scope="module")
def verdicts():
    return {(p.paper, v.claim_id): v for p in evaluate_all(DATASETS) for v in p.verdicts}


@pytest.mark.parametrize("item", ALL, ids=lambda item: f"{item[0]}/{item[1].id}")
def test_audited_verdict_holds(verdicts, item):
    """One test per published number: a change that flips any verdict fails here."""
    paper, claim = item
    verdict = verdicts[paper, claim.id]
    assert verdict.verdict == claim.expected
    if verdict.verdict in ("reproduced", "consistent"):
        assert verdict.recomputed is not None and verdict.method
    if verdict.verdict == "discrepant":
        assert verdict.diagnosis
    if verdict.verdict == "not_recomputable":
        assert verdict.recomputed is None and verdict.diagnosis


def _verdict(ohtomo, cid):
    return next(v for v in ohtomo.verdicts if v.claim_id == cid)


@pytest.mark.parametrize("cid, kind", [
    ("results-psl-cum-pre-mean", "transposition"),
    ("table1-age-mean", "double_rounding"),
    ("results-csa-duration-min", "other_row_value"),
    ("abstract-weaned-count", "alternative"),
    ("table1-csa-duration-p9", "infeasible"),
    ("table1-age-sd", "truncation"),
    ("methods-age-max", "truncation"),
])
def test_engine_proposes_the_diagnosis(ohtomo, cid, kind):
    assert kind in {p.kind for p in _verdict(ohtomo, cid).proposals}


def test_reproduced_values_sit_inside_the_printed_interval(ohtomo):
    from reanalysis.rounding import parse
    for v in ohtomo.verdicts:
        if v.verdict == "reproduced" and v.rule != "bound":
            printed = parse(v.reported)
            assert printed.interval(v.rule).contains(v.recomputed), v.claim_id


def test_the_paper_p_values_are_reproduced_by_the_paired_t_test(ohtomo):
    assert _verdict(ohtomo, "results-relapse-p").recomputed == pytest.approx(0.0158006, abs=5e-8)
    assert _verdict(ohtomo, "results-csa-cum-p").recomputed == pytest.approx(0.0091048, abs=5e-8)
    assert _verdict(ohtomo, "results-psl-cum-p").recomputed == pytest.approx(0.1184580, abs=5e-8)


def test_decision_error_only_where_significance_flips(ohtomo):
    flagged = {v.claim_id for v in ohtomo.verdicts if v.decision_error}
    assert flagged == {"abstract-steroid-sparing-significant"}


def test_truncation_is_named_in_the_method(ohtomo):
    v = _verdict(ohtomo, "table1-onset-sd")
    assert v.verdict == "reproduced" and v.rule == "truncate" and "truncation" in v.method


def test_assumption_caps_the_verdict_at_consistent(ohtomo):
    v = _verdict(ohtomo, "results-normal-ccr-count")
    assert v.verdict == "consistent" and "assumes" in v.method and v.recomputed == 7


def test_sensitivity_conclusions(ohtomo):
    by_id = {c.data.comparison.id: c for c in ohtomo.comparisons}
    assert by_id["relapses"].data.keys == tuple(range(1, 10))
    assert by_id["csa-cumulative"].data.keys == (1, 2, 3, 4, 6, 8, 9)
    assert "survives" in by_id["relapses"].conclusion and by_id["relapses"].wilcoxon.p_value < 0.05
    assert by_id["psl-cumulative"].t.p_value > 0.05 and by_id["psl-cumulative"].permutation.p_value > 0.05


def _edit(project, old, new):
    path = project / "datasets" / "ohtomo2005" / "claims.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return project / "datasets" / "ohtomo2005"


@pytest.mark.parametrize("old, new, message", [
    ('analysis = "mean"', 'analysis = "median_of_means"', "unknown analysis 'median_of_means'"),
    ('"mzr_dose_mg_kg_day" }', '"mzr_dose_mg_per_day" }', "table 'table2' has no column 'mzr_dose_mg_per_day'"),
    ('{ table = "table2", column = "mzr_dose_mg_kg_day" }', '{ table = "table9", column = "x" }', "unknown table 'table9'"),
    ('subset = "completers" }', 'subset = "responders" }', "unknown subset 'responders'"),
    ('params = { comparison = "relapses" }', 'params = { comparison = "height" }', "unknown comparison 'height'"),
    ('params = { table = "table1" }', 'params = { table = "table1", colour = "red" }', "does not take parameter 'colour'"),
    ('id = "ohtomo2005"', 'id = "ohtomo2006"', "differs from its folder name"),
])
def test_bad_references_in_claims_are_claim_errors(project, old, new, message):
    with pytest.raises(ClaimError, match=message):
        evaluate_paper(_edit(project, old, new))


def test_a_subset_with_missing_cells_is_an_error_not_a_silent_drop(project):
    folder = _edit(project, 'params = { table = "table3", column = "weight_pre_kg", subset = "completers" }',
                   'params = { table = "table3", column = "weight_pre_kg" }')
    with pytest.raises(ClaimError, match="has missing cells"):
        evaluate_paper(folder)


def test_changed_data_changes_the_verdict(project):
    """A transcription slip is caught: patient 2's 41 months of CsA typed as 46 changes the mean."""
    from reanalysis.datasets import rehash

    path = project / "datasets" / "ohtomo2005" / "table1_background.csv"
    path.write_text(path.read_text().replace(",41,", ",46,"))
    assert [name for name, _, _ in rehash(project / "datasets" / "ohtomo2005")] == ["table1"]
    result = evaluate_paper(project / "datasets" / "ohtomo2005")
    changed = {v.claim_id for v in result.verdicts if v.verdict != v.expected}
    assert {"results-csa-duration-min", "results-csa-duration-mean"} <= changed


def test_evaluate_all_needs_paper_folders(tmp_path):
    with pytest.raises(ClaimError, match="no paper folders"):
        evaluate_all(tmp_path)


def _reprint(project, paper, claim_id, quote, reported):
    """Change one claim's printed value in a scratch copy and judge it again."""
    path = project / "datasets" / paper / "claims.toml"
    text = path.read_text(encoding="utf-8")
    old = f'quote = "{quote}"\nreported = "'
    assert old in text
    start = text.index(old) + len(old)
    path.write_text(text[:start] + reported + text[text.index('"', start):], encoding="utf-8")
    return next(v for v in evaluate_paper(project / "datasets" / paper).verdicts if v.claim_id == claim_id)


def test_a_second_language_that_disagrees_is_discrepant(project):
    v = _reprint(project, "amjnephrol2012", "zh-remission", "9 例完全或部分缓解", "8")
    assert v.verdict == "discrepant" and v.proposals[0].kind == "contradiction"
    assert "printed as 9 in English abstract" in v.diagnosis
    assert "A rate among completers" in v.diagnosis  # the claim's own diagnosis is kept after the clash


def test_itt_and_best_case_beside_the_completer_rate():
    result = evaluate_paper(DATASETS / "amjnephrol2012")
    rows = [r for r in result.proportions if r.spec_id == "remission"]
    assert [(r.exact.k, r.exact.n) for r in rows] == [(9, 11), (9, 14), (12, 14)]
    assert rows[1].basis.startswith("ITT") and rows[2].basis.startswith("best case")


def test_contradictory_flare_counts_are_found():
    result = evaluate_paper(DATASETS / "rokutanda2014")
    v = next(v for v in result.verdicts if v.claim_id == "results-flare-12m")
    assert v.verdict == "discrepant" and v.recomputed == 4 and "cannot all be true together" in v.diagnosis


def test_grim_claims_say_when_they_are_uninformative():
    result = evaluate_paper(DATASETS / "rokutanda2014")
    v = next(v for v in result.verdicts if v.claim_id == "results-induction-age-mean")
    assert v.verdict == "consistent" and "uninformative" in v.method and "assumes ages recorded in whole years" in v.method


@pytest.mark.parametrize("text, significant", [
    ("<0.05", True), ("≤0.05", False), ("0.049", True), ("0.05", False), ("0.016", True), (">=0.05", False),
    ("0.0499", True), ("<0.01", True),
])
def test_significance_of_a_printed_p_value(text, significant):
    from reanalysis.engine import _significant
    from reanalysis.rounding import parse
    assert _significant(parse(text), 0.05) is significant


def test_a_count_equal_to_its_bound_is_consistent(project):
    v = _reprint(project, "amjnephrol2012", "en-early-remission", "7 achieved remission within 1 month", "9")
    assert v.verdict == "consistent" and v.recomputed == 9 and v.interval == ""


def test_every_two_arm_p_value_gets_the_full_method_search():
    result = evaluate_paper(DATASETS / "jcr2011")
    by = {s.claim_id: s for s in result.method_search}
    assert {name for name, _, _ in by["ginzler-cr-p"].results} == {"pearson", "yates", "fisher", "wald_z"}
    assert [name for name, _, ok in by["ginzler-cr-p"].results if ok] == ["pearson"]
    assert [name for name, _, ok in by["chan05-doubling-p"].results if ok] == ["fisher"]
    assert not any(ok for _, _, ok in by["chan05-esrd-p"].results)
    v = next(v for v in result.verdicts if v.claim_id == "chan05-esrd-p")
    assert v.verdict == "discrepant" and v.decision_error


def test_independent_pooled_estimates():
    result = evaluate_paper(DATASETS / "jcr2011")
    pooled = {p.id: p for p in result.pooled}
    assert [(t.k1, t.n1, t.k2, t.n2) for t in pooled["any-remission"].trials] == [
        (37, 71, 21, 69), (104, 185, 98, 185), (11, 19, 13, 25), (20, 21, 19, 21)]
    assert pooled["complete-remission"].pooled.k == 3


def test_evaluate_all_on_a_missing_folder_is_bad_input(tmp_path):
    with pytest.raises(ClaimError, match="no paper folders"):
        evaluate_all(tmp_path / "nowhere")


def test_itt_without_a_withdrawn_row_takes_the_difference():
    from reanalysis.analyses import Context
    from reanalysis.claims import ProportionSpec
    from reanalysis.engine import _proportions, load_paper

    dataset, paper = load_paper(DATASETS / "amjnephrol2012")
    spec = ProportionSpec("x", "remission", "counts", row="remission", itt_row="enrolled")
    rows = _proportions(Context(dataset, paper, "x"), spec)
    assert [(r.exact.k, r.exact.n) for r in rows] == [(9, 11), (9, 14), (12, 14)]


def test_many_papers_are_judged_in_parallel_with_the_same_results(tmp_path, monkeypatch):
    """From PARALLEL_FROM papers on, a process pool judges them; verdicts and order must not change."""
    from reanalysis import engine
    from reanalysis.bench import synthetic_paper

    n = engine.PARALLEL_FROM
    for i in range(n):
        synthetic_paper(tmp_path / "datasets" / f"p{i:02d}", i)
    parallel = evaluate_all(tmp_path / "datasets")
    monkeypatch.setattr(engine, "PARALLEL_FROM", 10 ** 6)
    sequential = evaluate_all(tmp_path / "datasets")
    assert [p.paper for p in parallel] == [f"p{i:02d}" for i in range(n)]
    assert [p.verdicts for p in parallel] == [p.verdicts for p in sequential]
    assert all(v.verdict == "reproduced" for p in parallel for v in p.verdicts)
