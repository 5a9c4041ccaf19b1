"""The report a reader opens, built once as data (:mod:`reanalysis.document`) from the engine's records.

Per paper: a one-line headline from its verdicts, the citation, the scorecard, the findings with their
diagnosis, the figures, the tables of the reanalysis (proportions, the test search, pooled estimates, the
sensitivity of the paired tests) and every claim with its provenance. Nothing is recomputed here.
Numbers are shown at a readable precision: a recomputed value at its printed precision plus one digit,
estimates, CIs and p-values at 3 significant digits; ``results/*.csv`` keep full precision.
:func:`markdown` and :func:`html_page` render the same report.
"""

from __future__ import annotations

from decimal import Decimal

from reanalysis import render_html, render_markdown
from reanalysis.analyses import ANALYSES
from reanalysis.claims import REASONS, VERDICTS
from reanalysis.diagnosis import sig
from reanalysis.document import Bullets, ClaimRow, Image, Paragraph, Report, Run, Section, Table, text
from reanalysis.results import CARD, findings, fmt_strength, scorecard

_ORDER = {"discrepant": 0, "not_recomputable": 1, "consistent": 2, "reproduced": 3}
CROSS_STUDY = "figures/cross_study_proportions.svg"
_HEAD = VERDICTS + ("source lacks data", "check cannot fail", "vocabulary lacks", "decision errors", "findings")
STRENGTH_NOTE = ("Strength: the share of the printed value's neighbours (moved by 1 to 10 units of its last digit) "
                 "that the same check rejects; 1.00 for a recomputation from data, 0.00 for a check that cannot fail, "
                 "which is never counted as evidence.")
INTRO = ("Verdicts: reproduced (recomputed from the data, inside the printed value's rounding interval), consistent "
         "(only summary-level checks possible, they could have failed, and they pass), discrepant (with a diagnosis; "
         "decision errors flip significance), not_recomputable (counted by reason: the source lacks the data, the "
         "only check there is cannot fail, or the vocabulary of reanalysis lacks the statistic: the paper's gap, a "
         "check's, the tool's). A finding is one error of the paper, however many printed numbers show it.")
CLAIM_COLUMNS = ("claim", "location", "quote", "printed", "recomputed", "verdict", "strength", "method",
                 "diagnosis", "figure")


def figure_name(paper: str, comparison_id: str) -> str:
    """Path of a comparison's figure relative to the repository root."""
    return f"figures/{paper}/{comparison_id}.svg"


def markdown(papers) -> str:
    """``results/report.md``: the report for a code forge (figures as images relative to ``results/``)."""
    return render_markdown.render(build(papers))


def html_page(papers, svgs: dict) -> str:
    """``results/report.html``: one self-contained page, figures inlined from ``svgs`` (path -> SVG text)."""
    return render_html.render(build(papers), svgs)


def build(papers) -> Report:
    """The report of ``papers`` as data."""
    return Report("Reanalysis report", (Paragraph(text(INTRO)),),
                  (_overview(papers),) + tuple(_paper(p) for p in papers))


def headline(paper) -> tuple:
    """One line from a paper's verdicts: how many printed numbers the data contradict, whether any changes a
    conclusion (a decision error) and which, else how many hold and by which checks."""
    card, total = scorecard(paper), len(paper.verdicts)
    errors = [v for v in paper.verdicts if v.decision_error]
    if card["discrepant"]:
        found = len(findings(paper.verdicts))
        line = [f"{card['discrepant']} of {total} printed numbers are contradicted"
                + (f" ({found} finding{'s' if found != 1 else ''})" if found != card["discrepant"] else "")]
        if errors:
            v = errors[0]
            line.append(f"; {len(errors)} change{'s' if len(errors) == 1 else ''} a conclusion: ")
            line.append(Run(f"{v.location}, printed {v.reported}, recomputed {_shown(v, paper)}",
                            link=_claim_id(paper.paper, v.claim_id)))
        else:
            line.append("; none changes a conclusion")
        return text(*line, ".")
    held = card["reproduced"] + card["consistent"]
    return text(f"All {held} checkable printed numbers of {total} hold ({card['reproduced']} reproduced, "
                f"{card['consistent']} consistent); {card['not_recomputable']} could not be recomputed.")


def _overview(papers) -> Section:
    rows = []
    for p in papers:
        card = scorecard(p)
        rows.append((text(Run(p.paper, link=p.paper)), text(len(p.verdicts))) + tuple(text(card[c]) for c in CARD))
    items = []
    for p, name, group in _discrepancies(papers):
        v = group[0]
        flag = (Run("decision error", "flag"), " ") if any(g.decision_error for g in group) and not \
            v.diagnosis.startswith("Decision error") else ()
        printed = [x for r in dict.fromkeys(g.reported for g in group) for x in (Run(r, "code"), ", ")][:-1]
        items.append((text(Run(f"{p.paper} / {name}", link=_claim_id(p.paper, v.claim_id)), f" ({v.location}): printed ",
                           *printed, ". ", *flag, v.diagnosis), ()))
    blocks = (Table("overview/scorecards", ("paper", "claims") + _HEAD, tuple(rows), frozenset(range(1, 2 + len(CARD)))),
              Section("overview/findings", "Findings across papers (decision errors first)", (Bullets(tuple(items)),), 3),
              Image("overview/cross-study", CROSS_STUDY, "Remission and response proportions across the sources, "
                    "exact 95% CIs"))
    return Section("overview", "Overview", blocks)


def _paper(p) -> Section:
    meta, card = p.dataset.meta, scorecard(p)
    cite = [meta.get("citation", "")] + ([" doi:", Run(meta["doi"], "code")] if meta.get("doi") else [])
    blocks = [Paragraph(headline(p), "headline" if card["discrepant"] else "headline holds"), Paragraph(text(*cite)),
              Section(f"{p.paper}/scorecard", "Scorecard",
                      (Table(f"{p.paper}/scorecard-table", ("claims",) + _HEAD,
                             ((text(len(p.verdicts)),) + tuple(text(card[c]) for c in CARD),),
                             frozenset(range(1 + len(CARD)))),), 3)]
    if card["discrepant"]:
        blocks.append(Section(f"{p.paper}/findings", "Findings", (
            Paragraph(text("Each finding once; claims that share one finding are listed under it.")),
            Bullets(tuple(_finding(p, name, group) for name, group in findings(p.verdicts)))), 3))
    figures = tuple(Paragraph(text(n)) for n in p.claims.report_notes) + tuple(_images(p))
    if figures:
        blocks.append(Section(f"{p.paper}/figures", "Figures", figures, 3))
    if p.proportions:
        blocks.append(_proportions(p))
    if p.method_search:
        blocks.append(_method_search(p))
    blocks += [_pooled(p, pooled) for pooled in p.pooled]
    if p.comparisons:
        blocks.append(_sensitivity(p))
    blocks.append(Section(f"{p.paper}/claims", "Every claim", (Paragraph(text(STRENGTH_NOTE)), _claims(p)), 3))
    contents = [x for b in blocks if isinstance(b, Section) for x in (Run(b.title, link=b.id), " \u00b7 ")][:-1]
    blocks.insert(2, Paragraph(text("In this section: ", *contents), "contents"))
    return Section(p.paper, p.paper, tuple(blocks), subtitle=meta.get("title", ""))


def _finding(p, name, group) -> tuple:
    lines = []
    for v in group:
        flag = (" ", Run("decision error", "flag")) if v.decision_error and not v.diagnosis.startswith("Decision error") \
            else ()
        lines.append(text(Run(v.claim_id, "bold", _claim_id(p.paper, v.claim_id)), f" ({v.location}): printed ",
                          Run(v.reported, "code"), ", recomputed ", Run(_shown(v, p), "code"), ".", *flag, " ",
                          v.diagnosis, " Quote: ", Run(v.quote, "quote")))
    if len(group) == 1:
        return lines[0], ()
    return text("Finding ", Run(name, "bold"), f", {len(group)} printed numbers:"), tuple(lines)


def _images(p) -> list:
    out = [Image(f"{p.paper}/figure/{c.data.comparison.id}", figure_name(p.paper, c.data.comparison.id),
                 c.data.comparison.label) for c in p.comparisons]
    if p.proportions:
        out.append(Image(f"{p.paper}/figure/proportions", figure_name(p.paper, "proportions"),
                         f"{p.paper}: every proportion, as reported and (where withdrawals are known) ITT and best case"))
    out += [Image(f"{p.paper}/figure/{f.id}", figure_name(p.paper, f.id), f.title) for f in p.figures]
    out += [Image(f"{p.paper}/figure/forest-{pooled.id}", figure_name(p.paper, "forest-" + pooled.id),
                  f"Forest plot: {pooled.label}") for pooled in p.pooled]
    return out


def _proportions(p) -> Section:
    rows = tuple((text(r.label), text(r.basis), text(f"{r.exact.k}/{r.exact.n}"), text(_pct(r.exact.estimate)),
                  text(f"{_pct(r.exact.ci_low)} to {_pct(r.exact.ci_high)}"),
                  text(f"{_pct(r.wilson.ci_low)} to {_pct(r.wilson.ci_high)}")) for r in p.proportions)
    table = Table(f"{p.paper}/proportions-table", ("proportion", "basis", "k/n", "%", "exact (Clopper-Pearson) 95% CI",
                                                  "Wilson 95% CI"), rows, frozenset({3}))
    notes = itt_summary(p.proportions)
    return Section(f"{p.paper}/proportions", "Proportions with exact 95% CIs",
                   (table,) + ((Bullets(tuple((text(n), ()) for n in notes)),) if notes else ()), 3)


def _method_search(p) -> Section:
    tests = [name for name, _, _ in p.method_search[0].results]
    rows = []
    for s in p.method_search:
        cells = {name: text(Run(sig(v), "bold") if ok else sig(v)) for name, v, ok in s.results}
        rows.append((text(Run(s.claim_id, link=_claim_id(p.paper, s.claim_id))), text(s.reported), text(s.counts))
                    + tuple(cells.get(t, ()) for t in tests))
    intro = ("Every two-arm p-value was recomputed from the arms' counts by each test below; a value in bold "
             "reproduces the printed one under its rounding. This is a search over methods, disclosed in full "
             "(results/pvalue_methods.csv, at full precision). The document names no test; each claim's verdict uses "
             "the test named in its method (Pearson chi-square unless the claim's note says why another).")
    return Section(f"{p.paper}/test-search", "Which test reproduces each printed p-value", (
        Paragraph(text(intro)),
        Table(f"{p.paper}/test-search-table", ("claim", "printed", "counts") + tuple(tests), tuple(rows),
              frozenset(range(3, 3 + len(tests))))), 3)


def _pooled(p, pooled) -> Section:
    est = pooled.pooled
    rows = [(text(t.label), text(f"{t.k1}/{t.n1} vs {t.k2}/{t.n2}"), text(_ci(t.rr))) for t in pooled.trials]
    rows += [(text(f"pooled, {r.method}"), text(f"{est.k} trials"), text(_ci(r))) for r in est.estimates]
    intro = ("Pooled here from the per-trial counts this document reports (not the published meta-analyses' own "
             "data); risk ratio of MMF (or multitarget) over the comparator, each trial's "
             f"{pooled.trials[0].rr.method}.")
    heterogeneity = (f"Heterogeneity: Q = {est.q:.2f} on {est.k - 1} df, I\u00b2 = {100 * est.i2:.0f}%, "
                     f"tau\u00b2 = {est.tau2_dl:.3f} (DerSimonian-Laird), {est.tau2_pm:.3f} (Paule-Mandel), "
                     f"{est.tau2_reml:.3f} (REML).")
    return Section(f"{p.paper}/pooled/{pooled.id}", f"Independent pooled estimate: {pooled.label}", (
        Paragraph(text(intro)), Table(f"{p.paper}/pooled-table/{pooled.id}", ("trial", "counts", "RR (95% CI)"),
                                      tuple(rows)), Paragraph(text(heterogeneity))), 3)


def _sensitivity(p) -> Section:
    rows = tuple((text(c.data.comparison.label), text(c.t.n), text(f"{sig(c.t.mean_difference)} ({sig(c.t.ci_low)} to "
                                                                     f"{sig(c.t.ci_high)})"),
                  text(sig(c.t.p_value)), text(sig(c.wilcoxon.p_value)), text(sig(c.permutation.p_value)),
                  text(c.conclusion)) for c in p.comparisons)
    c = p.comparisons[0]
    methods = (f"Methods: {c.t.method}; {' or '.join(sorted({x.wilcoxon.method for x in p.comparisons}))}; "
               f"{c.permutation.method.split(', all')[0]}.")
    return Section(f"{p.paper}/sensitivity", "Sensitivity reanalysis of the paired tests", (
        Table(f"{p.paper}/sensitivity-table", ("comparison", "n", "mean change (95% CI)", "paired t p", "Wilcoxon p",
                                               "permutation p", "conclusion"), rows, frozenset({1, 3, 4, 5})),
        Paragraph(text(methods))), 3)


def _claims(p) -> Table:
    links = figure_links(p)
    rows, meta = [], []
    for v in _sorted(p.verdicts):
        figure = text(Run("figure", link=links[v.claim_id])) if v.claim_id in links else ()
        rows.append((text(v.claim_id), text(v.location), text(Run(v.quote, "quote")), text(v.reported),
                     text(_shown(v, p)), text(_verdict(v)), text(fmt_strength(v.strength)), text(v.method),
                     text(v.diagnosis), figure))
        meta.append(ClaimRow(_claim_id(p.paper, v.claim_id), p.paper, v.verdict, fmt_strength(v.strength),
                             v.decision_error, v.location))
    return Table(f"{p.paper}/claims-table", CLAIM_COLUMNS, tuple(rows), frozenset({4, 6}), tuple(meta),
                 f"Every claim of {p.paper} ({len(rows)})")


def _claim_id(paper: str, claim_id: str) -> str:
    return f"{paper}/{claim_id}"


def _shown(v, paper) -> str:
    """A recomputed value at its printed precision plus one digit; a p-value at 3 significant digits."""
    if v.recomputed is None:
        return ""
    claim = next(c for c in paper.claims.claims if c.id == v.claim_id)
    if ANALYSES[claim.analysis].kind == "p_value" or claim.printed is None:
        return sig(v.recomputed)
    places = max(0, -Decimal(claim.printed.unit).as_tuple().exponent) + 1
    value = float(v.recomputed)
    if value.is_integer() and claim.printed.unit >= 1:
        return str(int(value))
    return f"{value:.{places}f}"


def _verdict(v) -> str:
    """The verdict as the claim tables show it: with its decision-error flag, or why it is not recomputed."""
    if v.decision_error:
        return f"{v.verdict} (decision error)"
    if v.reason:
        return f"{v.verdict}: {REASONS[v.reason]}" + (f" ({v.missing_statistic})" if v.missing_statistic else "")
    return v.verdict


def _discrepancies(papers):
    """Every finding of every paper, ``(paper, finding id, verdicts)``, decision errors first."""
    found = [(p, name, group) for p in papers for name, group in findings(p.verdicts)]
    return sorted(found, key=lambda item: not any(v.decision_error for v in item[2]))


def figure_links(paper) -> dict:
    """Which figure shows each claim: claim id -> the figure's id in the report (``paper/figure/<id>``)."""
    links = {}
    comparisons = {(c.data.comparison.table, col): c.data.comparison.id for c in paper.comparisons
                   for col in (c.data.comparison.before, c.data.comparison.after)}
    specs = paper.claims.proportions
    panels = [(f.id, f.params) for f in paper.claims.figures if f.kind == "summary_panels"]
    bars = {b["claim"]: f.id for f in paper.claims.figures if f.kind == "remission_bars"
            for b in f.params.get("bar", []) if "claim" in b}
    rebuilt = {(f.params["table"], row): f.id for f in paper.claims.figures if f.kind == "reconstruction"
               for row in f.params["rows"]}
    for claim in paper.claims.claims:
        prm = claim.params
        target = None
        if "comparison" in prm:
            target = prm["comparison"]
        elif (prm.get("table"), prm.get("column")) in comparisons:
            target = comparisons[prm.get("table"), prm.get("column")]
        elif any(s.table == prm.get("table") and ((s.where is not None and s.where == prm.get("where")) or
                                                   (s.row is not None and s.row in [prm.get("row")] + list(prm.get("rows", []))))
                 for s in specs):
            target = "proportions"
        elif claim.id in bars:
            target = bars[claim.id]
        elif claim.analysis.startswith("reconstruct") and (prm.get("table"), prm.get("row")) in rebuilt:
            target = rebuilt[prm["table"], prm["row"]]
        else:
            for fid, fparams in panels:
                row = str(prm.get("row", ""))
                if prm.get("table") == fparams["table"] and any(row.startswith(v + "-") for v in fparams["variables"]):
                    target = fid
        if target is not None:
            links[claim.id] = f"{paper.paper}/figure/{target}"
    return links


def itt_summary(rows) -> list:
    """One sentence per proportion that has an ITT version: what counting withdrawals changes."""
    lines = []
    by_spec = {}
    for r in rows:
        by_spec.setdefault(r.spec_id, []).append(r)
    for spec_rows in by_spec.values():
        if len(spec_rows) < 3:
            continue
        reported, itt, best = (r.exact for r in spec_rows[:3])
        lines.append(
            f"{spec_rows[0].label}: {_pct(reported.estimate)} among the {reported.n} analysed; counting the "
            f"{itt.n - reported.n} withdrawals as failures (ITT) gives {_pct(itt.estimate)} (exact 95% CI "
            f"{_pct(itt.ci_low)} to {_pct(itt.ci_high)}), as successes {_pct(best.estimate)}; the reported rate "
            f"is {100 * (reported.estimate - itt.estimate):.1f} percentage points above the ITT rate.")
    return lines


def _ci(r) -> str:
    return f"{sig(r.estimate)} ({sig(r.ci_low)} to {sig(r.ci_high)})"


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def _sorted(verdicts):
    return sorted(verdicts, key=lambda v: _ORDER[v.verdict])
