"""The results datasets: ``results/claims.csv`` (one row per printed number) and
``results/comparisons.csv`` (each paired comparison with its sensitivity tests).

Rendering is separate from writing (:mod:`reanalysis.outputs`) so that every output is built before any file
is touched.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from decimal import Decimal

from reanalysis.claims import REASONS, VERDICTS
from reanalysis.diagnosis import fmt

CLAIM_COLUMNS = ("paper", "claim_id", "location", "quote", "reported", "recomputed", "verdict", "method",
                 "decision_error", "diagnosis", "expected_verdict", "interval", "rounding_rule", "n", "strength", "finding",
                 "reason", "missing_statistic")
COMPARISON_COLUMNS = ("paper", "comparison", "label", "unit", "n", "mean_before", "mean_after", "mean_difference",
                      "ci95_low", "ci95_high", "t", "df", "p_t", "p_wilcoxon", "p_permutation", "conclusion",
                      "method_t", "method_wilcoxon", "method_permutation")


def claims_csv(papers) -> str:
    """Every verdict of every paper as CSV text, in paper then claim order."""
    rows = []
    for p in papers:
        for v in p.verdicts:
            rows.append((v.paper, v.claim_id, v.location, v.quote, v.reported,
                         "" if v.recomputed is None else fmt(v.recomputed), v.verdict, v.method,
                         "true" if v.decision_error else "false", v.diagnosis, v.expected, v.interval, v.rule,
                         "" if v.n is None else v.n, fmt_strength(v.strength), v.finding or "", v.reason,
                         v.missing_statistic))
    return _csv(CLAIM_COLUMNS, rows)


def fmt_strength(strength) -> str:
    """A check's strength (the share of neighbouring printed values it rejects) to two decimals, cut
    toward zero so that only a check that rejects nothing prints as 0.00; empty when there is no check."""
    if strength is None:
        return ""
    return format(Decimal(strength.numerator * 100 // strength.denominator) / 100, ".2f")


def comparisons_csv(papers) -> str:
    """Every paired comparison with the paper's t-test, the Wilcoxon and the permutation test."""
    rows = []
    for p in papers:
        for c in p.comparisons:
            before, after = c.data.before, c.data.after
            rows.append((p.paper, c.data.comparison.id, c.data.comparison.label, c.data.comparison.unit, c.t.n,
                         fmt(sum(before) / len(before)), fmt(sum(after) / len(after)), fmt(c.t.mean_difference),
                         fmt(c.t.ci_low), fmt(c.t.ci_high), fmt(c.t.statistic), c.t.df, fmt(c.t.p_value),
                         fmt(c.wilcoxon.p_value), fmt(c.permutation.p_value), c.conclusion, c.t.method,
                         c.wilcoxon.method, c.permutation.method))
    return _csv(COMPARISON_COLUMNS, rows)


PROPORTION_COLUMNS = ("paper", "proportion", "label", "basis", "k", "n", "percent", "exact_ci95_low", "exact_ci95_high",
                      "wilson_ci95_low", "wilson_ci95_high", "method_exact", "method_wilson")


def proportions_csv(papers) -> str:
    """Every proportion with its exact and Wilson 95% CIs (in %), reported, ITT and best case."""
    rows = []
    for p in papers:
        for r in p.proportions:
            e, w = r.exact, r.wilson
            rows.append((p.paper, r.spec_id, r.label, r.basis, e.k, e.n, fmt(100 * e.estimate), fmt(100 * e.ci_low),
                         fmt(100 * e.ci_high), fmt(100 * w.ci_low), fmt(100 * w.ci_high), e.method, w.method))
    return _csv(PROPORTION_COLUMNS, rows)


PVALUE_COLUMNS = ("paper", "claim_id", "location", "reported", "counts", "test", "p_value", "reproduces", "preferred")


def pvalue_methods_csv(papers) -> str:
    """Every 2x2 test tried on every printed two-arm p-value, and which reproduce it."""
    rows = []
    for p in papers:
        for s in p.method_search:
            for test, value, ok in s.results:
                rows.append((p.paper, s.claim_id, s.location, s.reported, s.counts, test, fmt(value),
                             "true" if ok else "false", "true" if test == s.method else "false"))
    return _csv(PVALUE_COLUMNS, rows)


CARD = VERDICTS + tuple(REASONS) + ("decision_errors", "findings")


def scorecard(paper) -> dict:
    """Counts per verdict (all four, zero included), of not_recomputable ones per reason (the source's gap,
    a check's, the tool's), with the number of decision errors and of findings
    (the errors of the paper: discrepant claims that share a finding id count once)."""
    counts = Counter(v.verdict for v in paper.verdicts)
    card = {v: counts.get(v, 0) for v in VERDICTS}
    reasons = Counter(v.reason for v in paper.verdicts)
    card.update({r: reasons.get(r, 0) for r in REASONS})
    card["decision_errors"] = sum(v.decision_error for v in paper.verdicts)
    card["findings"] = len(findings(paper.verdicts))
    return card


def findings(verdicts) -> list:
    """The discrepant verdicts grouped by finding, in claim order: ``[(finding id, (verdict, ...)), ...]``.
    A discrepant claim without a finding id is a finding of its own, named by its claim id."""
    groups = {}
    for v in verdicts:
        if v.verdict == "discrepant":
            groups.setdefault(v.finding or v.claim_id, []).append(v)
    return [(name, tuple(group)) for name, group in groups.items()]


def mismatches(papers) -> list:
    """Verdicts that differ from their audited verdict or their audited decision-error flag (an unaudited claim's
    verdict differs from every audit)."""
    return [v for p in papers for v in p.verdicts
            if v.verdict != v.expected or v.decision_error != v.expected_decision_error]


def unaudited(papers) -> list:
    """Verdicts of the claims nobody has audited yet (``expected = "unaudited"``, or a draft's note)."""
    waiting = {(p.paper, c.id) for p in papers for c in p.claims.claims if not c.audited}
    return [v for p in papers for v in p.verdicts if (v.paper, v.claim_id) in waiting]


def _csv(header, rows) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows([spreadsheet_safe(cell) for cell in row] for row in rows)
    return buf.getvalue()


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(cell):
    """A text cell a spreadsheet would run as a formula (it starts with ``=``, ``+``, ``-``, ``@``, a tab or a
    carriage return) gets a leading apostrophe, as OWASP recommends against CSV injection; numbers, and
    text that reads as a plain number (``-0.5``, ``+0.75``), are left as they are.

    Examples
    --------
    >>> spreadsheet_safe("=HYPERLINK(1)"), spreadsheet_safe("-0.5"), spreadsheet_safe(3)
    ("'=HYPERLINK(1)", '-0.5', 3)
    """
    if not isinstance(cell, str) or not cell.startswith(_FORMULA_START):
        return cell
    try:
        float(cell)
    except ValueError:
        return "'" + cell
    return cell
