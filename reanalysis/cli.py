"""Command line: ``python -m reanalysis {reproduce,check,report,list,rehash}``.

Exit status: 0 when every verdict equals its audited verdict, 1 when any differs (each one is
printed), 2 on bad input (one line naming file, row, column or claim, the value and what was
expected), 3 on an internal error (one line saying where its traceback was saved), 130 on Ctrl-C and
141 when the reader of the output goes away (``check | head``). Never a traceback on the terminal.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import traceback
from pathlib import Path

from reanalysis import audit, outputs, sources
from reanalysis.datasets import rehash
from reanalysis.engine import PAPER_NAME, evaluate_all
from reanalysis.errors import ClaimError, ReanalysisError
from reanalysis.diagnosis import fmt
from reanalysis.results import (CARD, claims_csv, fmt_strength, comparisons_csv, mismatches, proportions_csv, pvalue_methods_csv, scorecard)


def main(argv=None) -> int:
    """Run one command; every failure ends as an exit status and at most one line on stderr."""
    try:
        return _run(argv)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader of stdout went away: nothing left to say, and nowhere to say it
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except Exception as e:  # an internal error: one line here, the traceback in a file
        fd, path = tempfile.mkstemp(prefix="reanalysis-traceback-", suffix=".txt")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write("".join(traceback.format_exception(e)))
        first = str(e).splitlines()[0] if str(e) else ""
        print(f"reanalysis: internal error: {type(e).__name__}{': ' + first if first else ''} (a bug: the full "
              f"traceback is in {path})", file=sys.stderr)
        return 3


def _run(argv) -> int:
    parser = argparse.ArgumentParser(prog="reanalysis", description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path("."),
                        help="project folder holding datasets/; results/ and figures/ are written there (default: .)")
    parser.add_argument("--sources", metavar="DIRS",
                        help=f"folders holding the papers' source texts, separated by {os.pathsep!r} (default: "
                        f"${sources.ENVIRONMENT}, else ROOT/../shared/seeds); every quote is checked against its source")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("reproduce", help="validate, recompute every claim, write results/, figures/ and the report")
    sub.add_parser("check", help="recompute and compare every verdict with its audited verdict; write nothing")
    sub.add_parser("report", help="write the figures and results/report.{md,html} only")
    sub.add_parser("list", help="list the papers with their claims and comparisons")
    rehash_cmd = sub.add_parser("rehash", help="re-record the sha256 of a paper's CSVs, claims and schemas after a "
                                "deliberate, re-audited edit")
    rehash_cmd.add_argument("paper", help="the paper's folder name under datasets/")
    args = parser.parse_args(argv)
    try:
        outputs.recover(args.root)  # a run killed while it swapped outputs in is finished first
        if args.command == "rehash":
            return _rehash(args.root / "datasets", args.paper)
        papers = evaluate_all(args.root / "datasets")
        if args.command == "list":
            return _list(papers)
        for p in papers:
            audit.verify(p.dataset.folder)
        folders = sources.search_path(args.root, args.sources)
        unchecked = [p.paper for p in papers if not _check_quotes(p.claims, folders)]
        for paper in unchecked:  # only once nothing is wrong: bad input stays one line
            source = next(p.claims.source for p in papers if p.paper == paper)
            print(f"reanalysis: note: quotes of {paper} not checked: {source} is not in "
                  f"{os.pathsep.join(str(f) for f in folders)} (see --sources)", file=sys.stderr)
        if args.command in ("reproduce", "report"):
            _publish(args.root, _outputs(papers, args.root, full=args.command == "reproduce"),
                     full=args.command == "reproduce")
        return _summary(papers)
    except ReanalysisError as e:
        print(f"reanalysis: error: {e}", file=sys.stderr)
        return 2


def _outputs(papers, root: Path, full: bool) -> dict:
    """Every output file as text, built before anything is written."""
    from reanalysis import figures, report

    svgs = {}

    def add(name: str, svg) -> None:
        if name in svgs:
            raise ReanalysisError(f"two figures would both be written to {name}; rename the comparison, figure or "
                                  "pooled estimate whose id makes that name")
        svgs[name] = svg()

    for p in papers:
        for c in p.comparisons:
            add(report.figure_name(p.paper, c.data.comparison.id), lambda c=c: figures.to_svg(figures.paired_figure(c)))
        if p.proportions:
            add(report.figure_name(p.paper, "proportions"), lambda p=p: figures.to_svg(
                figures.proportions_figure(p.proportions, f"{p.paper}: proportions with exact 95% CIs")))
        for f in p.figures:
            draw = {"remission_bars": figures.remission_figure, "summary_panels": figures.panels_figure,
                    "reconstruction": figures.reconstruction_figure}[f.kind]
            add(report.figure_name(p.paper, f.id), lambda f=f, draw=draw: figures.to_svg(draw(f)))
        for pooled in p.pooled:
            add(report.figure_name(p.paper, f"forest-{pooled.id}"),
                lambda pooled=pooled: figures.to_svg(figures.forest_figure(pooled)))
    add(report.CROSS_STUDY, lambda: figures.to_svg(figures.cross_study_figure(papers)))
    files = {root / name: text for name, text in svgs.items()}
    files[root / "results" / "report.md"] = report.markdown(papers)
    files[root / "results" / "report.html"] = report.html_page(papers, svgs)
    if full:
        files[root / "results" / "claims.csv"] = claims_csv(papers)
        files[root / "results" / "comparisons.csv"] = comparisons_csv(papers)
        files[root / "results" / "proportions.csv"] = proportions_csv(papers)
        files[root / "results" / "pvalue_methods.csv"] = pvalue_methods_csv(papers)
    return files


def _publish(root: Path, files: dict, full: bool) -> None:
    """Swap the new output set in whole (``report`` carries the tables it does not rebuild over), or say in one
    line why it could not be written; the old set then stays as it was."""
    keep = () if full else tuple(p.relative_to(root) for p in (root / "results").glob("*.csv"))
    try:
        outputs.publish(root, files, keep)
    except OSError as e:
        raise ReanalysisError(f"cannot write the outputs under {root}: {e.strerror or e} ({e.filename}); the previous "
                              "outputs are unchanged") from None


def _summary(papers) -> int:
    width = max(len(p.paper) for p in papers)
    print(f"{'paper':<{width}}  claims  " + "  ".join(CARD))
    for p in papers:
        card = scorecard(p)
        print(f"{p.paper:<{width}}  {len(p.verdicts):>6}  " + "  ".join(f"{card[c]:>{len(c)}}" for c in CARD))
    changed = mismatches(papers)
    for v in changed:
        flag = "" if v.decision_error == v.expected_decision_error else (
            f", decision error {str(v.decision_error).lower()}, audited {str(v.expected_decision_error).lower()}")
        found = "nothing recomputed" if v.recomputed is None else f"recomputed {fmt(v.recomputed)}"
        strength = "" if v.strength is None else f", strength {fmt_strength(v.strength)}"
        print(f"CHANGED {v.paper}/{v.claim_id}: verdict {v.verdict}, audited {v.expected}{flag} "
              f"(printed {v.reported!r}, {found}{strength}; method: {v.method})")
    total = sum(len(p.verdicts) for p in papers)
    if changed:
        print(f"check: {len(changed)} of {total} verdicts differ from their audited verdicts")
        return 1
    print(f"check: all {total} verdicts equal their audited verdicts")
    return 0


def _check_quotes(paper, folders) -> bool:
    """Every quote against the paper's source text; False when the text is not on the search path."""
    path = sources.find(paper.source, folders)
    if path is None:
        return False
    try:
        text = sources.read(path)
    except (OSError, ValueError) as e:
        raise ClaimError(f"source text of {paper.paper}: {e}") from None
    sources.check_quotes(paper, text)
    return True


def _rehash(datasets: Path, paper: str) -> int:
    if not PAPER_NAME.fullmatch(paper):
        raise ReanalysisError(f"rehash: {paper!r} is not a paper's folder name (lower-case letters, digits and "
                              "hyphens, a folder directly under datasets/)")
    folder = datasets / paper
    if not (folder / "datapackage.json").is_file():
        raise ReanalysisError(f"{folder}: no such paper (expected {folder / 'datapackage.json'})")
    changed = rehash(folder)
    for name, old, new in changed:
        print(f"{folder.name}/{name}: {old or 'no hash'} -> {new}")
    relocked = audit.relock(folder)
    if relocked:
        print(f"{folder.name}: audit lock of claims.toml and the table schemas re-recorded")
    print(f"rehash: {len(changed) + relocked} hash(es) re-recorded in {folder / 'datapackage.json'}")
    return 0


def _list(papers) -> int:
    for p in papers:
        print(f"{p.paper}: {len(p.verdicts)} claims, {len(p.comparisons)} paired comparisons, "
              f"{len(p.dataset.tables)} tables ({', '.join(p.dataset.tables)})")
        for v in p.verdicts:
            print(f"  {v.claim_id:<42} {v.expected:<17} {v.reported}")
    return 0
