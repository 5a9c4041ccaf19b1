"""The report a reader opens: ``results/report.md`` and a self-contained ``results/report.html``.

Built from verdict and comparison records and the figures' SVG text only; nothing is recomputed.
Per paper: the citation, a scorecard, the discrepancies with their diagnosis first, the
sensitivity reanalysis of each paired test, the figures, and every claim with its provenance.
"""

from __future__ import annotations

import html
import re

from reanalysis.claims import REASONS, VERDICTS
from reanalysis.diagnosis import fmt
from reanalysis.results import CARD, findings, fmt_strength, scorecard

_ORDER = {"discrepant": 0, "not_recomputable": 1, "consistent": 2, "reproduced": 3}
CROSS_STUDY = "figures/cross_study_proportions.svg"
_HEAD = VERDICTS + ("source lacks data", "check cannot fail", "vocabulary lacks", "decision errors", "findings")
STRENGTH_NOTE = ("Strength: the share of the printed value's neighbours (moved by 1 to 10 units of its last digit) "
                 "that the same check rejects; 1.00 for a recomputation from data, 0.00 for a check that cannot fail, "
                 "which is never counted as evidence.")


def figure_name(paper: str, comparison_id: str) -> str:
    """Path of a comparison's figure relative to the repository root."""
    return f"figures/{paper}/{comparison_id}.svg"


def markdown(papers) -> str:
    """The Markdown report (figures linked, relative to ``results/``)."""
    out = ["# Reanalysis report", "", "Verdicts: `reproduced` (recomputed from the data, inside the printed "
           "value's rounding interval), `consistent` (only summary-level checks possible, they could have failed, "
           "and they pass), `discrepant` (with a diagnosis; decision errors flip significance), `not_recomputable` "
           "(counted by reason: the source lacks the data, the only check there is cannot fail, or the vocabulary "
           "of reanalysis lacks the statistic: the paper's gap, a check's, the tool's). A finding is one error of the "
           "paper, however many printed numbers show it.", ""]
    out += overview_markdown(papers)
    for p in papers:
        meta = p.dataset.meta
        card = scorecard(p)
        out += [f"## {p.paper}: {meta.get('title', '')}", "", meta.get("citation", ""),
                f"doi:{meta['doi']}" if meta.get("doi") else "", "", "### Scorecard", "",
                "| claims | " + " | ".join(_HEAD) + " |", "|---:|" + "---:|" * len(_HEAD),
                f"| {len(p.verdicts)} | " + " | ".join(str(card[c]) for c in CARD) + " |",
                "", "### Discrepancies", "", "Each finding once; claims that share one finding are listed under it.", ""]
        for name, group in findings(p.verdicts):
            lines = [f"**{v.claim_id}** ({v.location}): printed `{v.reported}`, recomputed `{_num(v.recomputed)}`."
                     f"{' **decision error**' if v.decision_error else ''} {v.diagnosis} Quote: \u201c{v.quote}\u201d"
                     for v in group]
            if len(group) == 1:
                out.append(f"- {lines[0]}")
            else:
                out += [f"- Finding **{name}**, {len(group)} printed numbers:"] + [f"  - {line}" for line in lines]
        if p.proportions:
            out += ["", "### Proportions with exact 95% CIs", "",
                    "| proportion | basis | k/n | % | exact (Clopper-Pearson) 95% CI | Wilson 95% CI |",
                    "|---|---|---:|---:|---|---|"]
            for r in p.proportions:
                out.append(f"| {r.label} | {r.basis} | {r.exact.k}/{r.exact.n} | {_pct(r.exact.estimate)} | "
                           f"{_pct(r.exact.ci_low)} to {_pct(r.exact.ci_high)} | {_pct(r.wilson.ci_low)} to "
                           f"{_pct(r.wilson.ci_high)} |")
            out += [""] + [f"- {line}" for line in itt_summary(p.proportions)]
        out += _methods_markdown(p) + _pooled_markdown(p)
        if p.comparisons:
            out += ["", "### Sensitivity reanalysis of the paired tests", "",
                    "| comparison | n | mean change (95% CI) | paired t p | Wilcoxon p | permutation p | conclusion |",
                    "|---|---:|---|---:|---:|---:|---|"]
        for c in p.comparisons:
            out.append(f"| {c.data.comparison.label} | {c.t.n} | {fmt(c.t.mean_difference)} ({fmt(c.t.ci_low)} to "
                       f"{fmt(c.t.ci_high)}) | {fmt(c.t.p_value)} | {fmt(c.wilcoxon.p_value)} | "
                       f"{fmt(c.permutation.p_value)} | {c.conclusion} |")
        if p.comparisons:
            c = p.comparisons[0]
            out += ["", f"Methods: {c.t.method}; {_wilcoxon_methods(p)}; {c.permutation.method.split(', all')[0]}."]
        out += ["", "### Figures", ""]
        for note in p.claims.report_notes:
            out.append(f"- {note}")
        for c in p.comparisons:
            out.append(f"- [{c.data.comparison.label}](../{figure_name(p.paper, c.data.comparison.id)})")
        if p.proportions:
            out.append(f"- [Proportions with exact 95% CIs](../{figure_name(p.paper, 'proportions')})")
        for f in p.figures:
            out.append(f"- [{f.title}](../{figure_name(p.paper, f.id)})")
        for pooled in p.pooled:
            out.append(f"- [Forest plot: {pooled.label}](../{figure_name(p.paper, 'forest-' + pooled.id)})")
        out += ["", "### Every claim", "", STRENGTH_NOTE, "",
                "| claim | location | printed | recomputed | verdict | strength | method | diagnosis |",
                "|---|---|---|---|---|---:|---|---|"]
        for v in _sorted(p.verdicts):
            out.append(f"| {v.claim_id} | {_md(v.location)} | {_md(v.reported)} | {_num(v.recomputed)} | {_md(_verdict(v))}"
                       f" | {fmt_strength(v.strength)} | "
                       f"{_md(v.method)} | {_md(v.diagnosis)} |")
        out.append("")
    return "\n".join(out) + "\n"


def _verdict(v) -> str:
    """The verdict as the claim tables show it: with its decision-error flag, or why it is not recomputed."""
    if v.decision_error:
        return f"{v.verdict} (decision error)"
    if v.reason:
        return f"{v.verdict}: {REASONS[v.reason]}" + (f" ({v.missing_statistic})" if v.missing_statistic else "")
    return v.verdict


def overview_markdown(papers) -> list:
    """The cross-paper overview: counts per verdict, then every discrepancy, decision errors first."""
    out = ["## Overview", "", "| paper | claims | " + " | ".join(_HEAD) + " |", "|---|---:|" + "---:|" * len(_HEAD)]
    for p in papers:
        card = scorecard(p)
        out.append(f"| [{p.paper}](#{p.paper}) | {len(p.verdicts)} | " + " | ".join(str(card[c]) for c in CARD) + " |")
    out += ["", "### Findings across papers (decision errors first)", ""]
    for p, name, group in _discrepancies(papers):
        v = group[0]
        flag = " **decision error**" if any(g.decision_error for g in group) else ""
        printed = ", ".join(f"`{g.reported}`" for g in group)
        out.append(f"- {p.paper} / **{name}** ({v.location}): printed {printed}.{flag} {v.diagnosis}")
    out += ["", f"![Remission and response proportions across the sources](../{CROSS_STUDY})", ""]
    return out


def _discrepancies(papers):
    """Every finding of every paper, ``(paper, finding id, verdicts)``, decision errors first."""
    found = [(p, name, group) for p in papers for name, group in findings(p.verdicts)]
    return sorted(found, key=lambda item: not any(v.decision_error for v in item[2]))


def figure_links(paper) -> dict:
    """Which figure shows each claim: claim id -> figure anchor (``paper-figure``)."""
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
            links[claim.id] = f"{paper.paper}-{target}"
    return links


def html_page(papers, svgs: dict) -> str:
    """One self-contained HTML file: no external scripts, fonts or stylesheets; figures inlined as SVG."""
    e = html.escape
    body = ["<h1>Reanalysis report</h1>",
            "<p>Verdicts: <b>reproduced</b> (recomputed from the data, inside the printed value's rounding "
            "interval), <b>consistent</b> (only summary-level checks possible, they could have failed, and they "
            "pass), <b>discrepant</b> (with a diagnosis; decision errors flip significance), <b>not_recomputable</b> "
            "(counted by reason: the source lacks the data, the only check there is cannot fail, or the vocabulary "
            "of reanalysis lacks the statistic: the paper's gap, a check's, the tool's). A finding is one error of "
            "the paper, however many printed numbers show it.</p>",
            '<section id="overview"><h2>Overview</h2><table id="overview-table"><tr><th>paper</th><th>claims</th>'
            + "".join(f"<th>{c}</th>" for c in _HEAD) + "</tr>"]
    for p in papers:
        card = scorecard(p)
        body.append(f'<tr><td><a href="#{e(p.paper)}">{e(p.paper)}</a></td><td>{len(p.verdicts)}</td>'
                    + "".join(f"<td>{card[c]}</td>" for c in CARD) + "</tr>")
    body.append("</table><h3>Findings across papers (decision errors first)</h3><ul>")
    for p, name, group in _discrepancies(papers):
        v = group[0]
        flag = ' <b class="de">decision error</b>' if any(g.decision_error for g in group) else ""
        printed = ", ".join(f"<code>{e(g.reported)}</code>" for g in group)
        body.append(f'<li><a href="#{e(p.paper)}-{e(v.claim_id)}">{e(p.paper)} / {e(name)}</a> '
                    f"({e(v.location)}): printed {printed}.{flag} {e(v.diagnosis)}</li>")
    body.append(f'</ul><figure id="cross-study">{_inline(svgs[CROSS_STUDY])}<figcaption>Remission and response '
                "proportions across the sources, exact 95% CIs</figcaption></figure></section>")
    for p in papers:
        meta, card = p.dataset.meta, scorecard(p)
        body += [f'<section id="{e(p.paper)}"><h2>{e(p.paper)}: {e(meta.get("title", ""))}</h2>',
                 f"<p>{e(meta.get('citation', ''))} doi:{e(meta.get('doi', ''))}</p>", "<h3>Scorecard</h3>",
                 "<table><tr><th>claims</th>" + "".join(f"<th>{c}</th>" for c in _HEAD) + "</tr>",
                 f"<tr><td>{len(p.verdicts)}</td>" + "".join(f"<td>{card[c]}</td>" for c in CARD) + "</tr></table>",
                 "<h3>Discrepancies</h3><p>Each finding once; claims that share one finding are listed under it.</p><ul>"]
        for name, group in findings(p.verdicts):
            flag = ' <b class="de">decision error</b>'
            items = [f"<b>{e(v.claim_id)}</b> ({e(v.location)}): printed <code>{e(v.reported)}</code>, recomputed "
                     f"<code>{e(_num(v.recomputed))}</code>.{flag if v.decision_error else ''} "
                     f"{e(v.diagnosis)} <q>{e(v.quote)}</q>" for v in group]
            if len(group) == 1:
                body.append(f"<li>{items[0]}</li>")
            else:
                body.append(f"<li>Finding <b>{e(name)}</b>, {len(group)} printed numbers:<ul>"
                            + "".join(f"<li>{item}</li>" for item in items) + "</ul></li>")
        body.append("</ul>")
        if p.proportions:
            body += ["<h3>Proportions with exact 95% CIs</h3>", "<table><tr><th>proportion</th><th>basis</th>"
                     "<th>k/n</th><th>%</th><th>exact (Clopper-Pearson) 95% CI</th><th>Wilson 95% CI</th></tr>"]
            for r in p.proportions:
                body.append(f"<tr><td>{e(r.label)}</td><td>{e(r.basis)}</td><td>{r.exact.k}/{r.exact.n}</td>"
                            f"<td>{_pct(r.exact.estimate)}</td><td>{_pct(r.exact.ci_low)} to {_pct(r.exact.ci_high)}"
                            f"</td><td>{_pct(r.wilson.ci_low)} to {_pct(r.wilson.ci_high)}</td></tr>")
            body.append("</table><ul>" + "".join(f"<li>{e(line)}</li>" for line in itt_summary(p.proportions))
                        + "</ul>")
        body += _html_from_markdown(_methods_markdown(p) + _pooled_markdown(p))
        if p.comparisons:
            body += ["<h3>Sensitivity reanalysis of the paired tests</h3>",
                     "<table><tr><th>comparison</th><th>n</th><th>mean change (95% CI)</th><th>paired t p</th>"
                     "<th>Wilcoxon p</th><th>permutation p</th><th>conclusion</th></tr>"]
        for c in p.comparisons:
            body.append(f"<tr><td>{e(c.data.comparison.label)}</td><td>{c.t.n}</td><td>{fmt(c.t.mean_difference)} "
                        f"({fmt(c.t.ci_low)} to {fmt(c.t.ci_high)})</td><td>{fmt(c.t.p_value)}</td>"
                        f"<td>{fmt(c.wilcoxon.p_value)}</td><td>{fmt(c.permutation.p_value)}</td>"
                        f"<td>{e(c.conclusion)}</td></tr>")
        if p.comparisons:
            body.append("</table>")
            c = p.comparisons[0]
            body.append(f"<p>Methods: {e(c.t.method)}; {e(_wilcoxon_methods(p))}; "
                        f"{e(c.permutation.method.split(', all')[0])}.</p>")
        body.append("<h3>Figures</h3>")
        body += [f"<p>{e(note)}</p>" for note in p.claims.report_notes]
        for c in p.comparisons:
            svg = svgs[figure_name(p.paper, c.data.comparison.id)]
            body.append(f'<figure id="{e(p.paper)}-{e(c.data.comparison.id)}">{_inline(svg)}'
                        f"<figcaption>{e(c.data.comparison.label)}</figcaption></figure>")
        if p.proportions:
            svg = svgs[figure_name(p.paper, "proportions")]
            body.append(f'<figure id="{e(p.paper)}-proportions">{_inline(svg)}'
                        "<figcaption>Proportions with exact 95% CIs</figcaption></figure>")
        for f in p.figures:
            body.append(f'<figure id="{e(p.paper)}-{e(f.id)}">{_inline(svgs[figure_name(p.paper, f.id)])}'
                        f"<figcaption>{e(f.title)}</figcaption></figure>")
        for pooled in p.pooled:
            body.append(f'<figure id="{e(p.paper)}-forest-{e(pooled.id)}">'
                        f"{_inline(svgs[figure_name(p.paper, 'forest-' + pooled.id)])}"
                        f"<figcaption>Forest plot: {e(pooled.label)}</figcaption></figure>")
        body += ["<h3>Every claim</h3>", f"<p>{e(STRENGTH_NOTE)}</p>",
                 "<table><tr><th>claim</th><th>location</th><th>quote</th><th>printed</th>"
                 "<th>recomputed</th><th>verdict</th><th>strength</th><th>method</th><th>diagnosis</th></tr>"]
        links = figure_links(p)
        for v in _sorted(p.verdicts):
            fig = (f'<br><a href="#{e(links[v.claim_id])}">figure</a>' if v.claim_id in links else "")
            body.append(f'<tr id="{e(p.paper)}-{e(v.claim_id)}" class="{v.verdict}"><td>{e(v.claim_id)}{fig}</td>'
                        f"<td>{e(v.location)}</td><td>{e(v.quote)}</td>"
                        f"<td>{e(v.reported)}</td><td>{e(_num(v.recomputed))}</td><td>{e(_verdict(v))}</td>"
                        f"<td>{fmt_strength(v.strength)}</td>"
                        f"<td>{e(v.method)}</td>"
                        f"<td>{e(v.diagnosis)}</td></tr>")
        body.append("</table></section>")
    style = ("body{font-family:sans-serif;max-width:72em;margin:auto;padding:1em;line-height:1.4}"
             "table{border-collapse:collapse;font-size:0.85em}td,th{border:1px solid #ccc;padding:0.2em 0.4em;"
             "vertical-align:top}.discrepant td{background:#fde8e8}.not_recomputable td{background:#f3f3f3}"
             ".consistent td{background:#eef6ff}.de{color:#b00}figure svg{max-width:100%;height:auto}")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Reanalysis report</title>"
            f"<style>{style}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n")


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


def _methods_markdown(paper) -> list:
    """The method-identification table: every 2x2 test tried on each printed p-value."""
    if not paper.method_search:
        return []
    tests = [name for name, _, _ in paper.method_search[0].results]
    out = ["", "### Which test reproduces each printed p-value", "",
           "Every two-arm p-value was recomputed from the arms' counts by each test below; a value in **bold** "
           "reproduces the printed one under its rounding. This is a search over methods, disclosed in full "
           "(results/pvalue_methods.csv). The document names no test; each claim's verdict uses the test named in "
           "its method (Pearson chi-square unless the claim's note says why another).", "",
           "| claim | printed | counts | " + " | ".join(tests) + " |", "|---|---|---|" + "---:|" * len(tests)]
    for s in paper.method_search:
        cells = {name: (f"**{fmt(v)}**" if ok else fmt(v)) for name, v, ok in s.results}
        out.append(f"| {s.claim_id} | {s.reported} | {s.counts} | " + " | ".join(cells.get(t, "") for t in tests) + " |")
    return out


def _pooled_markdown(paper) -> list:
    out = []
    for pooled in paper.pooled:
        p = pooled.pooled
        out += ["", f"### Independent pooled estimate: {pooled.label}", "",
                "Pooled here from the per-trial counts this document reports (not the published meta-analyses' "
                "own data); risk ratio of MMF (or multitarget) over the comparator"
                + f", each trial's {pooled.trials[0].rr.method}.", "",
                "| trial | counts | RR (95% CI) |", "|---|---|---|"]
        for t in pooled.trials:
            rr = f"{fmt(t.rr.estimate)} ({fmt(t.rr.ci_low)} to {fmt(t.rr.ci_high)})"
            out.append(f"| {t.label} | {t.k1}/{t.n1} vs {t.k2}/{t.n2} | {rr} |")
        for r in p.estimates:
            out.append(f"| pooled, {r.method} | {p.k} trials | {fmt(r.estimate)} ({fmt(r.ci_low)} to {fmt(r.ci_high)}) |")
        out += ["", f"Heterogeneity: Q = {p.q:.2f} on {p.k - 1} df, I\u00b2 = {100 * p.i2:.0f}%, "
                f"tau\u00b2 = {p.tau2_dl:.3f} (DerSimonian-Laird), {p.tau2_pm:.3f} (Paule-Mandel), {p.tau2_reml:.3f} (REML)."]
    return out


def _html_from_markdown(lines: list) -> list:
    """The few Markdown forms the method and pooled sections use (headings, paragraphs, tables), as HTML."""
    e, out, table = html.escape, [], []
    for line in lines + [""]:
        if line.startswith("| "):
            if not line.startswith("|---"):
                cells = [c.strip() for c in line.strip("|").split(" | ")]
                tag = "th" if not table else "td"
                table.append("<tr>" + "".join(f"<{tag}>{_bold(e(c))}</{tag}>" for c in cells) + "</tr>")
            continue
        if table:
            out.append("<table>" + "".join(table) + "</table>")
            table = []
        if line.startswith("### "):
            out.append(f"<h3>{e(line[4:])}</h3>")
        elif line:
            out.append(f"<p>{_bold(e(line))}</p>")
    return out


def _bold(text: str) -> str:
    return re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", text)


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def _wilcoxon_methods(paper) -> str:
    return " or ".join(sorted({c.wilcoxon.method for c in paper.comparisons}))


def _sorted(verdicts):
    return sorted(verdicts, key=lambda v: _ORDER[v.verdict])


def _num(x) -> str:
    return "" if x is None else fmt(x)


def _md(text: str) -> str:
    """Text for a Markdown table cell: HTML markup shown, not run (``<script>``, ``<img onerror>``), a ``|`` kept
    inside its cell, one line."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")
            .replace("\n", " "))


def _inline(svg: str) -> str:
    """SVG text without its XML prolog and DOCTYPE, ready to sit inside HTML."""
    return re.sub(r"^.*?(?=<svg)", "", svg, flags=re.S)
