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
    printed = {c.id: c.printed for c in ohtomo.claims.claims}  # the reads_as reading where a phrase prints it
    for v in ohtomo.verdicts:
        if v.verdict == "reproduced" and v.rule != "bound":
            assert printed[v.claim_id].interval(v.rule).contains(v.recomputed), v.claim_id


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


def test_an_uninformative_grim_check_is_not_evidence():
    result = evaluate_paper(DATASETS / "rokutanda2014")
    v = next(v for v in result.verdicts if v.claim_id == "results-induction-age-mean")
    assert v.verdict == "not_recomputable" and v.strength == 0 and v.recomputed is None
    assert "GRIM" in v.method and "assumes ages recorded in whole years" in v.method
    assert "cannot fail at the printed precision" in v.diagnosis and "every one of its 20 neighbouring" in v.diagnosis


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
    from reanalysis.context import Context
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


def test_unknown_analysis_names_the_claim_and_lists_the_known_ones(project):
    from reanalysis.analyses import ANALYSES

    with pytest.raises(ClaimError) as err:
        evaluate_paper(_edit(project, 'analysis = "mean"', 'analysis = "median_of_means"'))
    assert str(err.value) == (f"{project / 'datasets' / 'ohtomo2005' / 'claims.toml'}, claim 'abstract-mzr-dose-mean': "
                              f"unknown analysis 'median_of_means'; known: {', '.join(sorted(ANALYSES))}")


def test_a_pooled_trial_without_events_gets_half_added_to_its_cells(project):
    """A zero count has no log risk ratio: as metafor's escalc, 1/2 is added to every cell of that trial,
    and the method says so (it used to be refused)."""
    from reanalysis.datasets import rehash

    folder = project / "datasets" / "jcr2011"
    path = folder / "arms.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",MMF,5,19,", ",MMF,0,19,", 1), encoding="utf-8")
    rehash(folder)
    pooled = next(p for p in evaluate_paper(folder).pooled if p.id == "complete-remission")
    ong = next(t for t in pooled.trials if t.label == "Ong 2005, 6 months")
    assert (ong.k1, ong.n1) == (0, 19) and "1/2 added" in ong.rr.method and ong.rr.estimate == pytest.approx(
        (0.5 / 20) / (3.5 / 26))
    assert "1/2 added" in pooled.pooled.dersimonian_laird.method


def test_method_search_skips_only_the_tests_that_cannot_be_computed(project):
    """No events in either arm: both chi-square tests and the z-test are undefined, Fisher's test is not."""
    from reanalysis.datasets import rehash

    folder = project / "datasets" / "jcr2011"
    path = folder / "arms.csv"
    text = path.read_text(encoding="utf-8")
    for arm, empty in ((",MMF,2,33,", ",MMF,0,33,"), (",CTX-AZA,3,31,", ",CTX-AZA,0,31,")):
        assert text.count(arm) == 1
        text = text.replace(arm, empty)
    path.write_text(text, encoding="utf-8")
    rehash(folder)
    search = next(s for s in evaluate_paper(folder).method_search if "chan05-doubling" in s.claim_id)
    assert [(method, p) for method, p, _ in search.results] == [("fisher", 1.0)]
    assert search.counts == "0/33 vs 0/31"


def test_p_exactly_at_alpha_is_not_significant(ohtomo, monkeypatch):
    """p < alpha is the paper's rule: a recomputed p of exactly 0.05 contradicts a printed 'p=0.016'."""
    from reanalysis import engine
    from reanalysis.context import Recomputed

    claim = next(c for c in ohtomo.claims.claims if c.analysis == "paired_t_p" and c.reported == "0.016")
    monkeypatch.setattr(engine, "recompute", lambda ctx, analysis, params: Recomputed(0.05, "stub", 9))
    v = engine._judge_value(claim, engine.Context(ohtomo.dataset, ohtomo.claims, claim.id), ohtomo.claims)
    assert v.verdict == "discrepant" and v.decision_error is True


def test_rules_are_empty_text_where_no_rounding_applies():
    papers = evaluate_all(DATASETS)
    rules = {(v.verdict, v.rule) for p in papers for v in p.verdicts}
    assert all(type(rule) is str for _, rule in rules)
    assert ("not_recomputable", "") in rules
    bounds = [v for p in papers for v in p.verdicts if v.verdict in ("consistent", "discrepant") and v.interval == ""]
    assert bounds and all(v.rule == "" for v in bounds)


def test_a_language_clash_comes_first_in_the_diagnosis(project):
    v = _reprint(project, "amjnephrol2012", "zh-remission", "9 例完全或部分缓解", "8")
    assert v.diagnosis.startswith("The same number is printed as 9 in English abstract, Results (en-remission). A rate ")
    v = _reprint(project, "amjnephrol2012", "zh-enrolled", "共纳入 14 例难治性 IgAN 患者", "15")
    assert v.diagnosis == "The same number is printed as 14 in English abstract, Methods (en-enrolled)."


def test_other_rows_are_proposed_only_from_the_claims_subset(project):
    """Patient 6's 46 months explains the printed minimum; restricted to the two patients who stopped MZR
    (5 and 7), no row prints 46 and none is proposed."""
    _edit(project, "[[subset]]", '[[subset]]\nid = "discontinued"\ndescription = "patients 5 and 7"\ntable = "table3"\n'
          'where = { column = "mzr_failure", op = "==", value = true }\n\n[[subset]]')
    folder = _edit(project, 'params = { table = "table1", column = "csa_duration_months" }\nexpected = "discrepant"',
                   'params = { table = "table1", column = "csa_duration_months", subset = "discontinued" }\n'
                   'expected = "discrepant"')
    v = next(v for v in evaluate_paper(folder).verdicts if v.claim_id == "results-csa-duration-min")
    assert v.recomputed == 108 and v.verdict == "discrepant"
    assert "other_row_value" not in [p.kind for p in v.proposals]


def test_alternatives_that_cannot_be_computed_or_are_infeasible_are_not_proposed(project):
    folder = _edit(project, '  { label = "patients off CsA or on a reduced CsA dose',
                   '  { label = "a whole count of 9", analysis = "grim_mean", params = { n = { value = "9" }, granularity = "1" } },\n'
                   '  { label = "an unrecoverable count", analysis = "not_recomputable", params = { reason = "source_lacks_data" } },\n'
                   '  { label = "patients off CsA or on a reduced CsA dose')
    v = next(v for v in evaluate_paper(folder).verdicts if v.claim_id == "abstract-weaned-count")
    labels = [p.text.split(":")[0] for p in v.proposals if p.kind == "alternative"]
    assert labels == ["reproduced by a different computation, a whole count of 9",
                      "reproduced by a different computation, patients off CsA or on a reduced CsA dose at 12 months "
                      "among the 7 who stayed on MZR"]


def test_row_keys_print_without_a_decimal_point():
    import numpy as np
    from reanalysis.engine import _key

    assert _key(6.0) == 6 and type(_key(6.0)) is int and type(_key(np.float64(6.0))) is int
    assert _key(1.5) == 1.5 and _key("ginzler-cr-mmf") == "ginzler-cr-mmf" and _key(np.int64(6)) == 6


class _RecordingPool:
    """Stands in for ProcessPoolExecutor: runs map in this process and records how it was asked."""

    calls = []

    def __init__(self, *args, **kwargs):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def map(self, fn, items, chunksize=1):
        items = list(items)
        _RecordingPool.calls.append((len(items), chunksize))
        return [f"judged {item.name}" for item in items]


@pytest.mark.parametrize("papers, cpus, pooled", [
    (8, 2, (8, 1)),      # from PARALLEL_FROM papers on, a pool, in chunks of about a quarter per worker
    (9, 2, (9, 1)),      # 9 // 8: whole chunks only
    (64, 2, (64, 8)),
    (16, 4, (16, 1)),
    (7, 2, None),        # fewer papers: not worth starting processes
    (8, 1, None),        # one core: no pool
    (8, None, None),     # core count unknown: no pool
])
def test_when_papers_are_judged_in_a_process_pool(tmp_path, monkeypatch, papers, cpus, pooled):
    from reanalysis import engine

    for i in range(papers):
        (tmp_path / f"p{i:02d}").mkdir()
    _RecordingPool.calls = []
    monkeypatch.setattr(engine, "ProcessPoolExecutor", _RecordingPool)
    monkeypatch.setattr(engine.os, "cpu_count", lambda: cpus)
    loads = []
    monkeypatch.setattr(engine, "load_paper", lambda folder: loads.append(folder.name) or ("dataset", folder.name))
    monkeypatch.setattr(engine, "evaluate_paper", lambda folder, loaded=None: (folder.name, loaded))
    result = evaluate_all(tmp_path)
    if pooled:
        assert _RecordingPool.calls == [pooled] and type(_RecordingPool.calls[0][1]) is int
        assert result == tuple(f"judged p{i:02d}" for i in range(papers)) and loads == []
    else:
        assert _RecordingPool.calls == []
        # every paper validated once, before any is judged, then judged with what was loaded
        assert loads == [f"p{i:02d}" for i in range(papers)]
        assert result == tuple((f"p{i:02d}", ("dataset", f"p{i:02d}")) for i in range(papers))


def test_panel_rows_are_matched_on_the_whole_variable_name():
    """Row ids are '<variable>-<timepoint>'; a variable may itself contain hyphens."""
    import pandas as pd
    from types import SimpleNamespace

    from reanalysis.claims import FigureSpec
    from reanalysis.engine import _figure

    frame = pd.DataFrame({
        "row": ["anti-ds-dna-baseline", "anti-ds-dna-month6", "anti-c1q-baseline"],
        "variable": ["Anti-ds-DNA", "Anti-ds-DNA", "Anti-C1q"], "unit": ["IU/ml", "IU/ml", "U/ml"],
        "month": [0, 6, 0], "mean": [120.0, 30.0, 50.0], "sd": [80.0, 20.0, 10.0], "mark": ["", "*", ""]})
    ctx = SimpleNamespace(table=lambda name: SimpleNamespace(frame=frame), role=lambda table, role: role)
    spec = FigureSpec("f", "summary_panels", "t", {"table": "summary", "variables": ["anti-ds-dna", "anti-c1q"]})
    dna, c1q = _figure(ctx, spec).items
    assert (dna.variable, dna.unit, dna.months, dna.means, dna.sds, dna.marks) == (
        "Anti-ds-DNA", "IU/ml", (0, 6), (120.0, 30.0), (80.0, 20.0), ("", "*"))
    assert (c1q.variable, c1q.months) == ("Anti-C1q", (0,))


def test_a_count_that_is_not_whole_is_refused():
    from reanalysis.context import Context
    from reanalysis.engine import _whole, load_paper

    dataset, paper = load_paper(DATASETS / "ohtomo2005")
    with pytest.raises(ClaimError) as err:
        _whole(Context(dataset, paper, "x"), "table2", 1, "csa_dose_pre_mg_kg_day")
    assert str(err.value).endswith("claim 'x': table2.csa_dose_pre_mg_kg_day of row 1 is 3.13, not a whole count")
    dataset, paper = load_paper(DATASETS / "kagawa")
    with pytest.raises(ClaimError) as err:  # a printed summary cell is text, never a count
        _whole(Context(dataset, paper, "x"), "table2", "proteinuria-baseline", "mean")
    assert str(err.value).endswith("claim 'x': column table2.mean is not numeric")


def _nudged(paper, claim, printed):
    """The paper as if the claim had printed ``printed`` (in the claim and wherever other claims read it)."""
    from dataclasses import replace as swap
    moved = swap(claim, printed=printed)
    return moved, swap(paper, claims=tuple(moved if c.id == claim.id else c for c in paper.claims))


@pytest.mark.parametrize("folder", sorted(p.name for p in DATASETS.iterdir() if p.is_dir()))
def test_every_verdict_with_evidence_follows_the_printed_value(folder):
    """Move each printed value to its neighbours and judge the whole claim again, as if the paper had
    printed the neighbour. A claim audited as reproduced or consistent must turn discrepant on every
    neighbour its check rejects (and there must be one); a discrepant claim must stop being
    discrepant on every neighbour its check accepts. A check that never read the printed value would
    fail here."""
    from reanalysis.analyses import ANALYSES, recompute
    from reanalysis.context import Context
    from reanalysis.engine import _judge, load_paper
    from reanalysis.judge import judge

    dataset, paper = load_paper(DATASETS / folder)
    moved_claims = 0
    for claim in paper.claims:
        if claim.expected == "not_recomputable" or claim.same_as is not None:
            continue
        rec = recompute(Context(dataset, paper, claim.id), claim.analysis, claim.params)
        spec = ANALYSES[claim.analysis]
        found = judge(claim.printed, rec, spec.domain, verbal=claim.reads_as is not None)
        if claim.expected != "discrepant":
            assert found.strength > 0, claim.id
        for near in found.neighbours:
            moved, edited = _nudged(paper, claim, near)
            verdict = _judge(moved, Context(dataset, edited, claim.id), edited).verdict
            accepted = judge(near, rec, spec.domain, verbal=False).accepted
            assert (verdict == "discrepant") == (not accepted), (claim.id, near.text, verdict)
        moved_claims += 1
    assert moved_claims > 0


def test_a_cell_transcribed_from_the_claims_own_sentence_cannot_reproduce_it():
    result = evaluate_paper(DATASETS / "jcr2011")
    v = next(v for v in result.verdicts if v.claim_id == "alms-mmf-n")
    assert v.verdict == "not_recomputable" and v.recomputed is None and v.strength is None
    assert [p.kind for p in v.proposals] == ["circular"]
    assert "arms.n of row 'alms-ind-death-mmf' was transcribed from this claim's own printed text" in v.diagnosis
    other = next(v for v in result.verdicts if v.claim_id == "alms-mmf-response-percent")
    assert other.verdict == "reproduced"  # the same cell is independent evidence for another printed number


def test_a_range_whose_ends_need_two_rounding_rules_is_one_finding(ohtomo):
    low, high = (next(v for v in ohtomo.verdicts if v.claim_id == c) for c in ("methods-age-min", "methods-age-max"))
    assert low.verdict == high.verdict == "discrepant" and low.finding == high.finding == "age-range-rules"
    assert low.rules == ("half_up", "half_even", "binary") and high.rules == ("truncate",)
    assert low.proposals[0].kind == high.proposals[0].kind == "range_rules"
    assert high.diagnosis.startswith("No single rounding rule prints the range 13\u201320: 13 needs rounding half away "
                                     "from zero, 20 needs truncation")


def test_printed_numbers_that_contradict_each_other_are_discrepant_without_recomputing():
    result = evaluate_paper(DATASETS / "jcr2011")
    weeks, years = (next(v for v in result.verdicts if v.claim_id == c)
                    for c in ("maintain-follow-up", "maintain-observation-years"))
    assert weeks.verdict == years.verdict == "discrepant" and weeks.finding == years.finding == "maintain-follow-up"
    assert weeks.strength == 1 and weeks.proposals[0].kind == "contradiction"
    assert "cannot all be true: 48 against maintain-observation-years" in weeks.diagnosis
    assert weeks.recomputed == pytest.approx(3 * 365.25 / 7)  # the other claim, in this claim's unit


def _end(reported, verdict, rules, diagnosis=""):
    from reanalysis.engine import Verdict
    return Verdict("p", f"c{reported}", "L", "q", reported, float(reported), verdict, "m", False, diagnosis, verdict,
                   "", rules[0] if rules else "", 1, (), rules=rules)


@pytest.mark.parametrize("low, high, clash", [
    (("13", "reproduced", ("half_up", "half_even")), ("20", "reproduced", ("truncate",)), True),
    (("13", "consistent", ("half_up",)), ("20", "reproduced", ("truncate",)), True),
    (("13", "reproduced", ("half_up",)), ("20", "consistent", ("truncate",)), True),
    (("13", "reproduced", ("truncate",)), ("20", "reproduced", ("half_up", "half_even")), True),
    (("13", "reproduced", ("half_up", "truncate")), ("20", "reproduced", ("truncate",)), False),
    (("13", "discrepant", ()), ("20", "reproduced", ("truncate",)), False),
    (("13", "reproduced", ("half_up",)), ("20", "not_recomputable", ()), False),
    (("13", "consistent", ()), ("20", "reproduced", ("truncate",)), False),  # an end judged by a check has no rule
    (("13", "consistent", ()), ("20", "consistent", ()), False),
])
def test_one_rounding_rule_for_both_ends_of_a_range(low, high, clash):
    from reanalysis.engine import _one_rule
    from reanalysis.rounding import RULE_NAMES

    a, b = _end(*low), _end(*high, diagnosis="Printed as completed years.")
    out = _one_rule(a, b, "13", "20")
    if not clash:
        assert out == (a, b)
        return
    text = (f"No single rounding rule prints the range 13\u201320: 13 needs {RULE_NAMES[low[2][0]]}, "
            f"20 needs {RULE_NAMES[high[2][0]]}.")
    assert [v.verdict for v in out] == ["discrepant", "discrepant"]
    assert [p.kind for p in out[0].proposals] == [p.kind for p in out[1].proposals] == ["range_rules"]
    assert out[0].diagnosis == text and out[1].diagnosis == text + " Printed as completed years."
    assert (out[0].claim_id, out[1].claim_id) == ("c13", "c20")


def test_a_float_match_at_an_interval_end_is_named_in_the_method(monkeypatch):
    """A library p-value within 1e-9 relative of an end of the printed interval: reproduced, at the boundary."""
    from reanalysis import engine
    from reanalysis.context import Recomputed

    dataset, paper = engine.load_paper(DATASETS / "ohtomo2005")
    claim = next(c for c in paper.claims if c.id == "results-relapse-p")  # printed 0.016: [0.0155, 0.0165)
    monkeypatch.setattr(engine, "recompute", lambda ctx, name, params: Recomputed(0.0155 * (1 + 1e-12), "t-test", 9))
    v = engine._judge(claim, engine.Context(dataset, paper, claim.id), paper)
    assert v.verdict == "reproduced" and v.rule == "half_up"
    assert v.method == "t-test; at the boundary: within 1e-9 relative of an end of the printed interval"
    monkeypatch.setattr(engine, "recompute", lambda ctx, name, params: Recomputed(0.0158, "t-test", 9))
    assert engine._judge(claim, engine.Context(dataset, paper, claim.id), paper).method == "t-test"


def test_another_rows_value_is_named_by_its_own_key_within_a_subset(project):
    """Over the 7 completers (patients 5 and 7 left out), 46 is still patient 6's value: the diagnosis must
    pair each value with its own row key, not with the key of the same position among all 9 patients."""
    params = '{ table = "table1", column = "csa_duration_months" }\nexpected = "discrepant"'
    folder = _edit(project, 'reported = "46"\nanalysis = "min"\nparams = ' + params,
                   'reported = "46"\nanalysis = "min"\nparams = '
                   + params.replace('"csa_duration_months" }', '"csa_duration_months", subset = "completers" }'))
    v = next(v for v in evaluate_paper(folder).verdicts if v.claim_id == "results-csa-duration-min")
    assert v.n == 7 and "The printed value is row 6's value (46, rank 2 from the bottom), not the minimum 41" in v.diagnosis


def _edit_jcr(project, old, new):
    path = project / "datasets" / "jcr2011" / "claims.toml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    return {v.claim_id: v for v in evaluate_paper(project / "datasets" / "jcr2011").verdicts}


def test_every_alternative_is_tried_after_one_that_does_not_fit(project):
    alt = '  { label = "a denominator of 32 (2/32 = 6.25%)", analysis = "percent_attainable", params = { n = { value = "32" } } },\n'
    verdicts = _edit_jcr(project, alt, '  { label = "the 31 patients", analysis = "percent_attainable", params = { n = { value = "31" } } },\n'
                         + alt)
    v = verdicts["chan05-doubling-mmf-percent"]
    assert v.verdict == "discrepant" and "Reproduced by a different computation, a denominator of 32" in v.diagnosis
    assert "the 31 patients" not in v.diagnosis


def test_a_p_value_from_another_test_is_named_as_the_alternative(project):
    """Printed as Fisher's test gives it (0.0495 prints as 0.050), judged by Pearson's chi-square (0.033)."""
    v = _edit_jcr(project, 'quote = "(P = 0.062)"\nreported = "0.062"', 'quote = "(P = 0.062)"\nreported = "0.050"')["chan05-esrd-p"]
    assert v.verdict == "discrepant" and "Reproduced by a different computation, Fisher's exact test: 0.0495" in v.diagnosis


@pytest.mark.parametrize("reported, part, verdict", [
    ("2.33 (±0.71)", 1, "reproduced"), ("2.33 ± 0.71", 1, "reproduced"), ("0.71 (2.33)", 1, "discrepant"),
    ("2.33 (±0.71)", 2, "discrepant"),
])
def test_a_claim_on_a_text_of_several_numbers_judges_its_part(project, reported, part, verdict):
    path = project / "datasets" / "ohtomo2005" / "claims.toml"
    old = 'quote = "preceding MZR therapy was 2.33 (±0.71)"\nreported = "2.33"\n'
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, old.replace('"2.33"', f'"{reported}"\npart = {part}')), encoding="utf-8")
    v = next(v for v in evaluate_paper(path.parent).verdicts if v.claim_id == "results-relapse-pre-mean")
    assert v.verdict == verdict and v.reported == reported


def test_a_gap_of_the_vocabulary_is_counted_apart_from_a_gap_of_the_paper():
    result = evaluate_paper(DATASETS / "kagawa")
    lacks = [v for v in result.verdicts if v.reason == "vocabulary_lacks"]
    assert lacks and all(v.verdict == "not_recomputable" and v.missing_statistic for v in lacks)
    assert {v.reason for v in result.verdicts if v.verdict == "not_recomputable"} == {
        "source_lacks_data", "check_cannot_fail", "vocabulary_lacks"}
    assert all(v.reason == "" for v in result.verdicts if v.verdict != "not_recomputable")


def test_a_circular_claim_is_a_gap_of_the_source():
    result = evaluate_paper(DATASETS / "jcr2011")
    circular = [v for v in result.verdicts if any(p.kind == "circular" for p in v.proposals)]
    assert circular and {v.reason for v in circular} == {"source_lacks_data"}


def test_a_range_printed_as_one_text_names_each_end_once():
    result = evaluate_paper(DATASETS / "fluge2011")
    v = next(v for v in result.verdicts if v.claim_id == "table3-overall-rtx-ci-high")
    assert v.diagnosis.startswith("No single rounding rule prints the range 41%\u201385%: 41% needs truncation (digits "
                                  "dropped, not rounded), 85% needs rounding half away from zero.")


def test_hidden_folders_are_not_papers_and_paper_names_are_slugs(tmp_path):
    import shutil

    shutil.copytree(DATASETS / "amjnephrol2012", tmp_path / "amjnephrol2012")
    (tmp_path / ".ipynb_checkpoints").mkdir()
    assert [p.paper for p in evaluate_all(tmp_path)] == ["amjnephrol2012"]
    (tmp_path / "My Paper").mkdir()
    with pytest.raises(ClaimError, match="a paper folder's name must be lower-case letters, digits and hyphens "
                                         r"\(such as ohtomo2005\), got 'My Paper'$"):
        evaluate_all(tmp_path)


def test_a_statistic_the_data_leave_undefined_is_not_recomputable_not_a_crash(ohtomo, monkeypatch):
    """A paired t-test where no patient changed gives p = NaN; it used to reach the rounding engine and crash."""
    from reanalysis import engine
    from reanalysis.context import Context, Recomputed
    from reanalysis.engine import _judge, load_paper

    dataset, paper = load_paper(DATASETS / "ohtomo2005")
    claim = next(c for c in paper.claims if c.id == "results-relapse-p")
    monkeypatch.setattr(engine, "recompute", lambda ctx, analysis, params: Recomputed(float("nan"), "paired t-test", 9))
    verdict = _judge(claim, Context(dataset, paper, claim.id), paper)
    assert verdict.verdict == "not_recomputable" and verdict.reason == "check_cannot_fail"
    assert [p.kind for p in verdict.proposals] == ["undefined"] and "gives nan" in verdict.diagnosis
