"""The engine: joins a paper's datasets, its claims and the statistics into verdict records.

It is the only module that knows all three. It computes and judges; it writes nothing.
"""

from __future__ import annotations

import functools
import math
import os
import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path

from reanalysis import arithmetic, diagnosis, samples, stats
from reanalysis.analyses import ANALYSES, check_params, fmt_count, recompute
from reanalysis.context import Context, PairedData
from reanalysis.claims import UNAUDITED, Claim, PaperClaims, load_claims
from reanalysis.datasets import Dataset, load_dataset
from reanalysis.errors import ClaimError
from reanalysis.judge import judge
from reanalysis.rounding import RULE_NAMES, as_decimal

_EXTREMES = {"min": "minimum", "max": "maximum"}
PARALLEL_FROM = 8  # below this many papers a process pool costs more than it saves


@dataclass(frozen=True)
class Verdict:
    """The judgement of one printed number: the contract row of ``results/claims.csv``."""

    paper: str
    claim_id: str
    location: str
    quote: str
    reported: str
    recomputed: float | None
    verdict: str
    method: str
    decision_error: bool
    diagnosis: str
    expected: str
    interval: str
    rule: str
    n: int | None
    proposals: tuple
    strength: Fraction | None = None
    expected_decision_error: bool = False
    finding: str | None = None
    rules: tuple = ()
    reason: str = ""
    missing_statistic: str = ""


@dataclass(frozen=True)
class ComparisonResult:
    """A paired comparison with the paper's test and the two sensitivity tests beside it.

    The tests are computed when first read (by the results, the figures and the report), so that
    ``check``, which judges claims only, does not pay for the exact enumerations.
    """

    data: PairedData
    alpha: float

    @functools.cached_property
    def t(self) -> stats.PairedT:
        return stats.paired_t(self.data.before, self.data.after)

    @functools.cached_property
    def wilcoxon(self) -> stats.TestResult:
        return stats.wilcoxon_signed_rank(self.data.before, self.data.after)

    @functools.cached_property
    def permutation(self) -> stats.TestResult:
        return stats.paired_permutation(self.data.before, self.data.after)

    @property
    def conclusion(self) -> str:
        """Whether the paper's paired t-test conclusion survives the sensitivity tests."""
        sig = [r.p_value < self.alpha for r in (self.t, self.wilcoxon, self.permutation)]
        if all(sig):
            return f"significant at {self.alpha} by all three tests: the conclusion survives"
        if not any(sig):
            return f"not significant at {self.alpha} by any of the three tests: the conclusion survives"
        return (f"the tests disagree at {self.alpha} (t-test {'' if sig[0] else 'not '}significant): "
                "the conclusion depends on the test")


@dataclass(frozen=True)
class ProportionRow:
    """One proportion with its exact (Clopper-Pearson) and Wilson 95% CIs, on a named basis."""

    spec_id: str
    label: str
    basis: str
    exact: stats.Proportion
    wilson: stats.Proportion
    disease: str = ""
    regimen: str = ""


@dataclass(frozen=True)
class Bar:
    """One bar of a redrawn remission figure: a percentage with its source, or not recoverable."""

    series: str
    month: int
    k: int | None
    n: int | None
    source: str

    @property
    def percent(self) -> float | None:
        return None if self.k is None else 100 * self.k / self.n


@dataclass(frozen=True)
class Panel:
    """Group mean and SD of one variable over time, as printed in a summary table, with its marks."""

    variable: str
    unit: str
    months: tuple
    means: tuple
    sds: tuple
    marks: tuple


@dataclass(frozen=True)
class FigureData:
    """What a paper figure plots, computed from the datasets (the figure module only draws it)."""

    id: str
    kind: str
    title: str
    items: tuple


@dataclass(frozen=True)
class MethodSearch:
    """Every 2x2 test tried on one printed p-value, and which reproduce it (the search is disclosed)."""

    claim_id: str
    location: str
    reported: str
    counts: str
    method: str
    results: tuple  # (test name, p-value, reproduces)


@dataclass(frozen=True)
class TrialRR:
    label: str
    k1: int
    n1: int
    k2: int
    n2: int
    rr: stats.Interval2


@dataclass(frozen=True)
class PooledResult:
    """An independent pooled risk ratio over the trials the document reports, with each trial's RR."""

    id: str
    label: str
    trials: tuple
    pooled: stats.Pooled


@dataclass(frozen=True)
class PaperResult:
    """Everything computed for one paper."""

    paper: str
    dataset: Dataset
    claims: PaperClaims
    verdicts: tuple
    comparisons: tuple
    proportions: tuple = ()
    figures: tuple = ()
    method_search: tuple = ()
    pooled: tuple = ()


def load_paper(folder: Path) -> tuple:
    """Validate one paper folder: its datasets, its claims and the analyses they name.

    Raises
    ------
    DataError, ClaimError
        On any bad input.
    """
    folder = Path(folder)
    dataset = load_dataset(folder)
    paper = load_claims(folder / "claims.toml")
    if paper.paper != folder.name:
        raise ClaimError(f"{paper.path}: [paper] id {paper.paper!r} differs from its folder name {folder.name!r}")
    ids = {c.id for c in paper.claims}
    for table in dataset.tables.values():
        for (row, column), cid in table.claim_cells.items():
            if cid not in ids:
                raise ClaimError(f"{folder / 'datapackage.json'}: resource {table.name!r}, cell {column} of row {row!r} "
                                 f"is said to be transcribed from unknown claim {cid!r}")
    for claim in paper.claims:
        ctx = Context(dataset, paper, claim.id)
        for name, params in [(claim.analysis, claim.params)] + [(a.analysis, a.params) for a in claim.alternatives]:
            check_params(ctx, name, params)
        if claim.expected != UNAUDITED and claim.expected not in ANALYSES[claim.analysis].verdicts:
            ctx.fail(f"analysis {claim.analysis!r} cannot give the audited verdict {claim.expected!r}; it gives "
                     f"{', '.join(ANALYSES[claim.analysis].verdicts)}")
    return dataset, paper


def evaluate_paper(folder: Path, loaded: tuple | None = None) -> PaperResult:
    """Validate one paper folder (unless ``loaded`` by :func:`load_paper`) and judge every claim in it."""
    dataset, paper = loaded or load_paper(folder)
    verdicts = judge_claims(dataset, paper)
    comparisons = tuple(_compare(Context(dataset, paper, cid, "comparison"), cid, paper.alpha) for cid in paper.comparisons)
    proportions = tuple(row for spec in paper.proportions for row in _proportions(Context(dataset, paper, spec.id, "proportion"), spec))
    figures = tuple(_figure(Context(dataset, paper, spec.id, "figure"), spec) for spec in paper.figures)
    searches = tuple(_search(Context(dataset, paper, c.id), c) for c in paper.claims if c.analysis == "two_by_two_p")
    pooled = tuple(_pool(Context(dataset, paper, spec.id, "pooled"), spec) for spec in paper.pooled)
    return PaperResult(paper.paper, dataset, paper, verdicts, comparisons, proportions, figures, searches, pooled)


def _search(ctx: Context, claim: Claim) -> MethodSearch:
    results = []
    for method in stats.TWO_BY_TWO:
        try:
            rec = recompute(ctx, "two_by_two_p", {**claim.params, "method": method})
        except ClaimError:
            continue  # a test that cannot be computed for these counts (an empty column)
        results.append((method, rec.value, claim.printed.match(rec.value) is not None))
    counts = recompute(ctx, "two_by_two_p", claim.params).method.rsplit("; ", 1)[-1]
    return MethodSearch(claim.id, claim.location, claim.reported, counts, claim.params["method"], tuple(results))


def _pool(ctx: Context, spec) -> PooledResult:
    trials = []
    for t in spec.params["trials"]:
        def arm(rows):
            counts = [recompute(ctx, "cell", {"table": spec.params["table"], "row": r, "column": c}).value
                      for r in rows for c in (ctx.role(spec.params["table"], "events"), ctx.role(spec.params["table"], "n"))]
            return int(sum(counts[0::2])), int(counts[1])
        (k1, n1), (k2, n2) = arm(t["treatment"]), arm(t["comparator"])
        trials.append(TrialRR(t["label"], k1, n1, k2, n2, stats.risk_ratio(k1, n1, k2, n2)))
    return PooledResult(spec.id, spec.title, tuple(trials),
                        stats.pool_risk_ratios([(t.k1, t.n1, t.k2, t.n2) for t in trials]))


def judge_claims(dataset: Dataset, paper: PaperClaims) -> tuple:
    """Every claim of ``paper`` judged against ``dataset`` (which may be an in-memory variant)."""
    verdicts = {claim.id: _judge(claim, Context(dataset, paper, claim.id), paper) for claim in paper.claims}
    printed = {claim.id: claim.printed for claim in paper.claims}
    for claim in paper.claims:
        if claim.range_with is not None:
            low, high = sorted((claim.range_with, claim.id), key=lambda c: printed[c].value)
            verdicts[low], verdicts[high] = _one_rule(verdicts[low], verdicts[high], printed[low].text,
                                                      printed[high].text)
    return tuple(verdicts[claim.id] for claim in paper.claims)


def _one_rule(low: Verdict, high: Verdict, low_text: str, high_text: str) -> tuple:
    """Both ends of a printed range must be printed under one rounding rule ("13–20" where 13 is rounded
    and 20 truncated is no range any single rule prints): otherwise both are discrepant, one finding.
    Each end is named with the first rule (in :data:`~reanalysis.rounding.RULES` order) that prints it. An end
    judged by a check rather than by rounding a recomputed value has no rule, and the pair is not compared."""
    accepted = ("reproduced", "consistent")
    if low.verdict not in accepted or high.verdict not in accepted or not low.rules or not high.rules \
            or set(low.rules) & set(high.rules):
        return low, high
    whole = low.reported if low.reported == high.reported else f"{low.reported}\u2013{high.reported}"
    text = (f"no single rounding rule prints the range {whole}: {low_text} needs {RULE_NAMES[low.rules[0]]}, "
            f"{high_text} needs {RULE_NAMES[high.rules[0]]}")
    clash = diagnosis.Proposal("range_rules", text)
    return tuple(replace(v, verdict="discrepant", proposals=(clash,) + v.proposals,
                         diagnosis=_sentence(text) + (" " + v.diagnosis if v.diagnosis else "")) for v in (low, high))


PAPER_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def evaluate_all(datasets_root: Path, names=None, progress=None) -> tuple:
    """Every paper folder under ``datasets_root`` (or those ``names`` selects), in name order; ``progress(done,
    total)`` is called as each paper is judged."""
    folders = paper_folders(datasets_root, names)
    out = []

    def done(result):
        out.append(result)
        if progress is not None:
            progress(len(out), len(folders))

    if len(folders) >= PARALLEL_FROM and (os.cpu_count() or 1) > 1:
        # Papers are independent: one process each, results in folder order whatever finishes first.
        with ProcessPoolExecutor() as pool:
            for result in pool.map(evaluate_paper, folders, chunksize=max(1, len(folders) // (4 * os.cpu_count()))):
                done(result)
        return tuple(out)
    loaded = [load_paper(f) for f in folders]  # every input validated before anything is computed
    for f, pair in zip(folders, loaded):
        done(evaluate_paper(f, pair))
    return tuple(out)


def paper_folders(datasets_root: Path, names=None) -> list:
    """The paper folders under ``datasets_root`` in name order, or the ones ``names`` lists. Hidden folders
    (``.ipynb_checkpoints``) are not papers, and a paper's folder name must be a slug (lower-case letters,
    digits and hyphens).

    Raises
    ------
    ClaimError
        When there is no paper, a folder's name is not a slug, or a name is not a paper's (the message
        lists the papers there are).
    """
    root = Path(datasets_root)
    folders = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")) if root.is_dir() else []
    if not folders:
        raise ClaimError(f"{root}: no paper folders found")
    for folder in folders:
        if not PAPER_NAME.fullmatch(folder.name):
            raise ClaimError(f"{folder}: a paper folder's name must be lower-case letters, digits and hyphens "
                             f"(such as ohtomo2005), got {folder.name!r}")
    known = [f.name for f in folders]
    for name in names or ():
        if name not in known:
            raise ClaimError(f"no paper {name!r} under {root}; the papers are {', '.join(known)}")
    return [f for f in folders if not names or f.name in names]


def _compare(ctx: Context, comparison_id: str, alpha: float) -> ComparisonResult:
    return ComparisonResult(ctx.paired(comparison_id), alpha)


def _proportions(ctx: Context, spec) -> list:
    """The reported proportion and, where withdrawals are known, its ITT and best-case versions."""
    events, size = (ctx.role(spec.table, r) for r in ("events", "n")) if spec.where is None else (None, None)

    def counts(row):
        return _whole(ctx, spec.table, row, events), _whole(ctx, spec.table, row, size)

    if spec.where is not None:
        rec = recompute(ctx, "count", {"table": spec.table, "where": spec.where})
        k, n = int(rec.value), rec.n
    else:
        k, n = counts(spec.row)
    rows = [(f"as reported ({k}/{n})", k, n)]
    if spec.itt_row is not None:
        total = _whole(ctx, spec.table, spec.itt_row, events)
        withdrawn = _whole(ctx, spec.table, spec.withdrawn_row, events) if spec.withdrawn_row else total - n
        if n + withdrawn != total:
            which = "" if ctx.claim_id == spec.id else f"proportion {spec.id!r}: "  # read for a figure or claim
            ctx.fail(f"{which}{n} analysed + {withdrawn} withdrawn != {total} enrolled")
        rows.append((f"ITT, withdrawals as failures ({k}/{total})", k, total))
        rows.append((f"best case, withdrawals as successes ({k + withdrawn}/{total})", k + withdrawn, total))
    return [ProportionRow(spec.id, spec.label, basis, stats.clopper_pearson(a, b), stats.wilson(a, b), spec.disease,
                          spec.regimen) for basis, a, b in rows]


def _figure(ctx: Context, spec) -> FigureData:
    if spec.kind == "reconstruction":
        n = arithmetic.n_of(ctx, spec.params)
        return FigureData(spec.id, spec.kind, spec.title,
                          tuple(samples.distribution(ctx, spec.params["table"], row, n) for row in spec.params["rows"]))
    if spec.kind == "remission_bars":
        bars = []
        for b in spec.params["bar"]:
            if "proportion" in b:
                found = [r for r in _proportions(ctx, _spec(ctx, b["proportion"]))][0].exact
                bars.append(Bar(b["series"], b["month"], found.k, found.n, "patient table"))
            elif "claim" in b:
                k = ctx.printed(b["claim"])
                bars.append(Bar(b["series"], b["month"], int(k.value), len(ctx.table(b["n_rows_of"]).frame), "text only"))
            else:
                bars.append(Bar(b["series"], b["month"], None, None, "not recoverable"))
        return FigureData(spec.id, spec.kind, spec.title, tuple(bars))
    table = ctx.table(spec.params["table"]).frame
    mean, sd = (ctx.role(spec.params["table"], r) for r in ("mean", "sd"))
    panels = []
    for var in spec.params["variables"]:
        rows = table[table["row"].str.rsplit("-", n=1).str[0] == var].sort_values("month")
        if rows.empty:
            ctx.fail(f"table {spec.params['table']!r} has no rows for {var!r}")
        panels.append(Panel(rows["variable"].iloc[0], rows["unit"].iloc[0], tuple(int(m) for m in rows["month"]),
                            tuple(float(x) for x in rows[mean]), tuple(float(x) for x in rows[sd]), tuple(rows["mark"])))
    return FigureData(spec.id, spec.kind, spec.title, tuple(panels))


def _spec(ctx: Context, proportion_id: str):
    for spec in ctx.paper.proportions:
        if spec.id == proportion_id:
            return spec
    ctx.fail(f"unknown proportion {proportion_id!r}")


def _whole(ctx: Context, table: str, row: str, column: str) -> int:
    value = recompute(ctx, "cell", {"table": table, "row": row, "column": column}).value
    if value.denominator != 1:
        ctx.fail(f"{table}.{column} of row {row!r} is {fmt_count(value)}, not a whole count")
    return int(value)


def _judge(claim: Claim, ctx: Context, paper: PaperClaims) -> Verdict:
    verdict = _judge_value(claim, ctx, paper)
    if claim.same_as is None:
        return verdict
    twin = next(c for c in paper.claims if c.id == claim.same_as)
    if twin.printed.value == claim.printed.value and twin.printed.kind == claim.printed.kind:
        return verdict
    clash = diagnosis.Proposal("contradiction", f"the same number is printed as {twin.reported} in {twin.location} "
                               f"({twin.id})")
    return replace(verdict, verdict="discrepant", proposals=(clash,) + verdict.proposals,
                   diagnosis=_sentence(clash.text) + (" " + verdict.diagnosis if verdict.diagnosis else ""))


def _judge_value(claim: Claim, ctx: Context, paper: PaperClaims) -> Verdict:
    printed = claim.printed
    rec = recompute(ctx, claim.analysis, claim.params)
    if rec is None:
        return replace(_verdict(paper, claim, None, "not_recomputable", "not recomputable from the datasets", "", (),
                                False), reason=claim.params["reason"], missing_statistic=claim.params.get("statistic", ""))
    circular = ctx.circular()
    if circular:  # the only data is the claim's own sentence: the source lacks independent data
        cells = "; ".join(f"{t}.{c} of row {k!r}" for t, k, c in circular)
        return replace(_verdict(paper, claim, None, "not_recomputable", rec.method, "", (diagnosis.circular(cells),),
                                False, n=rec.n), reason="source_lacks_data")
    spec = ANALYSES[claim.analysis]
    if rec.check is None and isinstance(rec.value, float) and not math.isfinite(rec.value):
        undefined = diagnosis.Proposal("undefined", f"the statistic is undefined for these data ({rec.method} gives "
                                       f"{rec.value}): a t-test on differences that are all equal, for one")
        return replace(_verdict(paper, claim, None, "not_recomputable", rec.method, "", (undefined,), False, n=rec.n),
                       reason="check_cannot_fail")
    found = judge(printed, rec, spec.domain, verbal=claim.reads_as is not None)
    method = rec.method + found.detail
    proposals = []
    if not found.accepted:
        verdict = "discrepant"
        if spec.kind == "bound":
            proposals.append(diagnosis.infeasible(printed, found.value, rec.method))
        elif spec.kind == "contradiction":
            proposals.append(diagnosis.Proposal("contradiction", f"statements that cannot all be true: {printed.text} "
                                                f"against {', '.join(claim.params['claims'])}; {claim.params['why']}"))
        elif spec.kind in ("value", "p_value") and rec.check is None:
            proposals.extend(_propose(claim, ctx, rec.value))
        else:  # a check (also a value analysis that judges through one, as arithmetic on a printed value does):
            # the declared alternatives may say what the printed value is; the check why not
            proposals.extend(p for p in _alternatives(claim, ctx) if p is not None)
            if found.detail:
                proposals.append(diagnosis.Proposal("rejected", f"the check rejects {printed.text}: "
                                                    f"{found.detail.removeprefix('; ')}"))
    elif not found.decided:
        verdict = "not_recomputable"
        proposals.append(diagnosis.Proposal("undetermined", f"the check cannot settle {printed.text}: "
                                            f"{found.detail.removeprefix('; ')}"))
    elif found.strength == 0:
        verdict = "not_recomputable"
        proposals.append(diagnosis.cannot_fail(printed, found.neighbours))
    else:
        verdict = "consistent" if (spec.summary or rec.summary or claim.assumption) else "reproduced"
        if found.rule == "truncate":
            proposals.append(diagnosis.truncation(printed, found.value))
    if found.rule and found.rule != "half_up":
        method += f"; matches under {RULE_NAMES[found.rule]}"
    if found.boundary:
        method += "; at the boundary: within 1e-9 relative of an end of the printed interval"
    if claim.assumption:
        method += f"; assumes {claim.assumption}"
    decision_error = verdict == "discrepant" and spec.kind == "p_value" and (
        _significant(printed, paper.alpha) != (rec.value < paper.alpha))
    shown = None if verdict == "not_recomputable" else found.value
    return replace(_verdict(paper, claim, shown, verdict, method, found.rule, tuple(proposals), decision_error,
                            found.strength, spec.kind, rec.n), rules=found.rules,
                   reason="check_cannot_fail" if verdict == "not_recomputable" else "")


def _propose(claim: Claim, ctx: Context, value: float) -> list:
    printed = claim.printed
    found = [diagnosis.transposition(printed, value), diagnosis.double_rounding(printed, value),
             diagnosis.directed_rounding(printed, value)]
    if claim.analysis in _EXTREMES:
        rows = ctx.rows(claim.params["table"], claim.params.get("subset"))
        key = ctx.table(claim.params["table"]).primary_key
        exact = ctx.exact_values(claim.params["table"], claim.params["column"], claim.params.get("subset"))
        cells = [(_key(k), v) for k, v in zip(rows[key[0]], exact)]
        found.append(diagnosis.other_row_value(printed, _EXTREMES[claim.analysis], value, cells))
    return [p for p in found + _alternatives(claim, ctx) if p is not None]


def _alternatives(claim: Claim, ctx: Context) -> list:
    """The claim's declared alternative computations that reproduce its printed value."""
    found = []
    for alt in claim.alternatives:
        rec = recompute(ctx, alt.analysis, alt.params)
        if rec is None:
            continue
        value, method = rec.value, rec.method
        if rec.check is not None:  # an alternative that is itself a check: what it finds for this printed value
            outcome = rec.check(claim.printed)
            if not outcome.ok:
                continue
            value, method = outcome.value, method + outcome.detail
        found.append(diagnosis.alternative(claim.printed, alt.label, value, method))
    return found


def _significant(printed, alpha: float) -> bool:
    """Whether the printed p-value (or bound) says p < alpha for every value it can stand for."""
    rule = "bound" if printed.kind == "bound" else "half_up"
    iv, a = printed.interval(rule), as_decimal(alpha)  # Decimal('0.05'), not the double 0.05000000000000000277
    return iv.high is not None and (iv.high < a or (iv.high == a and not iv.high_closed))


def _key(k):
    """A row key as a message prints it: 6, not 6.0; text keys unchanged."""
    return int(k) if isinstance(k, float) and k.is_integer() else k


def _verdict(paper: PaperClaims, claim: Claim, value, verdict: str, method: str, rule: str,
             proposals: tuple, decision_error: bool, strength: Fraction | None = None, kind: str = "none",
             n: int | None = None) -> Verdict:
    parts = [p.text for p in proposals]
    if claim.assumption:
        parts.append(f"Rests on an assumption: {claim.assumption}")
    if claim.note:
        parts.append(claim.note)
    interval, printed = "", claim.printed  # None: a not_recomputable text of several numbers, no one value
    if printed is not None and printed.kind == "bound":
        interval = str(printed.interval("bound"))
    elif printed is not None and kind in ("value", "p_value"):
        interval = str(printed.interval(rule or "half_up"))
    return Verdict(
        paper=paper.paper, claim_id=claim.id, location=claim.location, quote=claim.quote,
        reported=claim.reported, recomputed=None if value is None else float(value), verdict=verdict, method=method,
        decision_error=decision_error, diagnosis=" ".join(_sentence(p) for p in parts), expected=claim.expected,
        interval=interval, rule=rule, n=n, proposals=proposals, strength=strength,
        expected_decision_error=claim.decision_error, finding=claim.finding,
    )


def _sentence(text: str) -> str:
    text = text.strip()
    text = text[0].upper() + text[1:]
    return text if text.endswith(".") else text + "."
