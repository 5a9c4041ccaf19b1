"""Command line: ``python -m reanalysis {reproduce,check,report,list,coverage,draft,rehash}``.

Exit status: 0 when every verdict equals its audited verdict (for ``coverage``: every printed number is
accounted for), 1 when any differs (each one is printed), 2 on bad input (one line naming file, row,
column or claim, the value and what was expected), 3 on an internal error (one line saying where its
traceback was saved), 130 on Ctrl-C and 141 when the reader of the output goes away (``check | head``).
Never a traceback on the terminal. The help texts (:data:`COMMANDS`) say the same per command.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import traceback
from pathlib import Path

from reanalysis import __version__, audit, outputs, sources
from reanalysis.progress import Progress
from reanalysis.datasets import rehash
from reanalysis.claims import load_claims
from reanalysis.coverage import load_exclusions
from reanalysis.engine import PAPER_NAME, evaluate_all, paper_folders
from reanalysis.errors import ReanalysisError
from reanalysis.diagnosis import fmt
from reanalysis.results import (CARD, claims_csv, fmt_strength, comparisons_csv, mismatches, proportions_csv, pvalue_methods_csv, scorecard,
                                unaudited)


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


# Each sub-command: what it does, and what its exit status means beyond 2 (bad input), 3 (an internal error)
# and 130 (Ctrl-C), which every command shares.
COMMANDS = {
    "reproduce": ("Validate every paper, recompute every claim, and write results/ (tables and the report) and "
                  "figures/ as one set; then print the verdict counts and the files written.",
                  "0 every verdict equals its audited verdict; 1 a verdict changed (each is printed)"),
    "check": ("Recompute every claim and compare each verdict and decision-error flag with its audited value; "
              "write nothing.", "0 every verdict equals its audited verdict; 1 a verdict changed (each is printed)"),
    "report": ("Write the figures and results/report.md and results/report.html only.",
               "0 every verdict equals its audited verdict; 1 a verdict changed"),
    "list": ("List the papers with their claims and comparisons.", "0 listed"),
    "coverage": ("Account for every number each paper's source prints: claimed (a claim's quote holds it), "
                 "excluded (datasets/PAPER/exclusions.toml gives a reason) or unaccounted.",
                 "0 every number is claimed or excluded; 1 a number is unaccounted, or a quote or exclusion "
                 "needs fixing (each is printed)"),
    "draft": ("Propose [[claim]] entries, as TOML to paste, for the numbers a paper's source prints that nothing "
              "accounts for, or for every number of a text file.", "0 proposals printed"),
    "rehash": ("Re-record the sha256 of a paper's CSVs and its audit lock (claims and schemas) after a deliberate, "
               "re-audited edit.", "0 recorded"),
}
SHARED_STATUS = "2 bad input (one line names the file, row, column or claim); 3 an internal error (one line says " \
                "where the traceback was saved); 130 interrupted (Ctrl-C)"


def _run(argv) -> int:
    parser = argparse.ArgumentParser(
        prog="reanalysis", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Recompute every number a small clinical study prints, and say, number by number, whether the "
                    "publication holds up.",
        epilog="exit status: " + SHARED_STATUS + "; see each command's --help for the rest")
    parser.add_argument("--version", action="version", version=f"reanalysis {__version__}")
    _options(parser, argparse.ArgumentParser(add_help=False))
    common = argparse.ArgumentParser(add_help=False)  # the same options after the sub-command
    _options(common, common, default=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands = {name: sub.add_parser(name, parents=[common], help=text.split(";")[0].split(", and")[0].rstrip("."),
                                     description=text, epilog=f"exit status: {status}; {SHARED_STATUS}")
                for name, (text, status) in COMMANDS.items()}
    commands["coverage"].add_argument("papers", nargs="*", metavar="PAPER", help="papers' folder names (default: all)")
    commands["draft"].add_argument("target", metavar="SOURCE_OR_PAPER", help="a paper's folder name under datasets/, "
                                   "or a source text (.txt, or an article's .xml)")
    commands["rehash"].add_argument("paper", help="the paper's folder name under datasets/")
    args = parser.parse_args(argv)
    try:
        outputs.recover(args.root)  # a run killed while it swapped outputs in is finished first
        if args.command == "rehash":
            return _rehash(args.root / "datasets", args.paper)
        if args.command == "draft":
            return _draft(args.root, args.target, sources.search_path(args.root, args.sources))
        if args.command == "coverage":
            return _coverage(args.root, (args.only or []) + args.papers, sources.search_path(args.root, args.sources))
        progress = Progress("papers judged", args.quiet)
        papers = evaluate_all(args.root / "datasets", args.only, progress)
        progress.close()
        if args.command == "list":
            return _list(papers)
        for p in papers:
            audit.verify(p.dataset.folder)
            load_exclusions(p.dataset.folder / "exclusions.toml", tuple(p.dataset.tables))  # its form, at least
        folders = sources.search_path(args.root, args.sources)
        unchecked = [p.paper for p in papers if not _check_quotes(p.claims, folders)]
        for paper in unchecked:  # only once nothing is wrong: bad input stays one line
            source = next(p.claims.source for p in papers if p.paper == paper)
            print(f"reanalysis: note: quotes of {paper} not checked: {source} is not in "
                  f"{os.pathsep.join(str(f) for f in folders)} (see --sources)", file=sys.stderr)
        if args.command in ("reproduce", "report"):
            files = _outputs(papers, args.root, full=args.command == "reproduce")
            _publish(args.root, files, full=args.command == "reproduce")
            for path in sorted(files):
                print(f"wrote {path.relative_to(args.root)}")
        return _summary(papers)
    except ReanalysisError as e:
        print(f"reanalysis: error: {e}", file=sys.stderr)
        return 2


def _options(parser, _, default=None) -> None:
    """The options accepted before and after the sub-command."""
    parser.add_argument("--root", type=Path, default=Path(".") if default is None else default,
                        help="project folder holding datasets/; results/ and figures/ are written there (default: .)")
    parser.add_argument("--sources", metavar="DIRS", default=default,
                        help=f"folders holding the papers' source texts, separated by {os.pathsep!r} (default: "
                        f"${sources.ENVIRONMENT}, else ROOT/../shared/seeds and ROOT/.sources); every quote is checked against "
                        "its source")
    parser.add_argument("--paper", dest="only", action="append", metavar="PAPER", default=default,
                        help="only this paper (repeatable); reproduce and report then write the output set of "
                        "the papers selected only")
    parser.add_argument("--quiet", action="store_true", default=False if default is None else default,
                        help="no progress on stderr (it shows only on a terminal, once a run takes 2 s)")


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
    waiting = unaudited(papers)
    changed = [v for v in mismatches(papers) if v not in waiting]
    for label, group in (("CHANGED", changed), ("UNAUDITED", waiting)):
        for v in group:
            flag = "" if label == "UNAUDITED" or v.decision_error == v.expected_decision_error else (
                f", decision error {str(v.decision_error).lower()}, audited {str(v.expected_decision_error).lower()}")
            found = "nothing recomputed" if v.recomputed is None else f"recomputed {fmt(v.recomputed)}"
            strength = "" if v.strength is None else f", strength {fmt_strength(v.strength)}"
            audit = "not audited yet" if label == "UNAUDITED" else f"audited {v.expected}"
            print(f"{label} {v.paper}/{v.claim_id}: verdict {v.verdict}, {audit}{flag} "
                  f"(printed {v.reported!r}, {found}{strength}; method: {v.method})")
    total = sum(len(p.verdicts) for p in papers)
    if changed or waiting:
        parts = [f"{len(changed)} of {total} verdicts differ from their audited verdicts"] if changed else []
        parts += [f"{len(waiting)} await an audit (set each claim's expected to the verdict once it is right, and "
                  "replace a draft's note)"] if waiting else []
        print("check: " + "; ".join(parts))
        return 1
    print(f"check: all {total} verdicts equal their audited verdicts")
    return 0


def _check_quotes(paper, folders) -> bool:
    """Every quote against the paper's source text; False when the text is not on the search path."""
    text = sources.text_of(paper, folders)
    if text is None:
        return False
    sources.check_quotes(paper, text)
    return True


def _rehash(datasets: Path, paper: str) -> int:
    if not PAPER_NAME.fullmatch(paper):
        raise ReanalysisError(f"rehash: {paper!r} is not a paper's folder name (lower-case letters, digits and "
                              "hyphens, a folder directly under datasets/)")
    folder = datasets / paper
    if not (folder / "datapackage.json").is_file():
        known = [f.name for f in paper_folders(datasets)]
        raise ReanalysisError(f"{folder}: no such paper (expected {folder / 'datapackage.json'}); the papers are "
                              f"{', '.join(known)}")
    changed = rehash(folder)
    for name, old, new in changed:
        print(f"{folder.name}/{name}: {old or 'no hash'} -> {new}")
    relocked = audit.relock(folder)
    if relocked:
        print(f"{folder.name}: audit lock of claims.toml and the table schemas re-recorded")
    print(f"rehash: {len(changed) + relocked} hash(es) re-recorded in {folder / 'datapackage.json'}")
    return 0


def _coverage(root: Path, names: list, folders) -> int:
    from reanalysis.coverage import STATUSES, paper_coverage

    results = [(f.name, paper_coverage(f, folders)) for f in paper_folders(root / "datasets", names)]
    width = max(len(name) for name, _ in results)
    print(f"{'paper':<{width}}  numbers  " + "  ".join(STATUSES) + "  problems")
    found = 0
    for name, cov in results:
        if cov is None:
            print(f"{name:<{width}}  skipped: its source is not in {os.pathsep.join(str(f) for f in folders)}")
            continue
        counts = "  ".join(f"{cov.count(s):>{len(s)}}" for s in STATUSES)
        print(f"{name:<{width}}  {len(cov.accounts):>7}  {counts}  {len(cov.problems):>8}")
    for name, cov in results:
        if cov is None:
            continue
        reasons = ", ".join(f"{reason} {n}" for reason, n in cov.reasons().items())
        print(f"{name}: excluded: {reasons or 'none'}")
        for problem in cov.problems:
            print(f"PROBLEM {name}: {problem}")
        for a in cov.accounts:
            if a.status == "unaccounted":
                print(f"UNACCOUNTED {name} {a.occurrence.text!r} at character {a.occurrence.start} ({a.by}): {a.context}")
        found += len(cov.problems) + cov.count("unaccounted")
    skipped = [name for name, cov in results if cov is None]
    checked = len(results) - len(skipped)
    tail = f"; {len(skipped)} skipped, their source not found ({', '.join(skipped)})" if skipped else ""
    if found:
        print(f"coverage: {found} number{'s' if found != 1 else ''} unaccounted or quotes and exclusions to fix in "
              f"{checked} paper{'s' if checked != 1 else ''}{tail}; claim each number (`python -m reanalysis draft "
              f"<paper>` proposes claims), exclude it in datasets/<paper>/exclusions.toml, or fix what a PROBLEM line "
              "names")
        return 1
    print(f"coverage: every printed number of the {checked} paper{'s' if checked != 1 else ''} checked is claimed "
          f"or excluded{tail}")
    return 0


def _draft(root: Path, target: str, folders) -> int:
    from reanalysis.coverage import occurrences, paper_coverage
    from reanalysis.draft import propose

    folder = root / "datasets" / target
    if PAPER_NAME.fullmatch(target) and (folder / "claims.toml").is_file():
        cov = paper_coverage(folder, folders)
        if cov is None:
            raise ReanalysisError(f"draft: the source of {target} is not in {os.pathsep.join(map(str, folders))}")
        text = sources.text_of(load_claims(folder / "claims.toml"), folders)
        targets = [a.occurrence for a in cov.accounts if a.status == "unaccounted"]
        what = f"the {len(targets)} unaccounted numbers of {target}"
    else:
        path = Path(target)
        if not path.is_file():
            known = ", ".join(f.name for f in paper_folders(root / "datasets")) if (root / "datasets").is_dir() else "none"
            raise ReanalysisError(f"draft: {target!r} is neither a paper under {root / 'datasets'} (the papers are "
                                  f"{known}) nor a file")
        try:
            text = sources.read(path)
        except (OSError, ValueError) as e:
            raise ReanalysisError(f"draft: {e}") from None
        targets = occurrences(text)
        what = f"the {len(targets)} numbers of {path}"
    print(f"# Draft claims for {what}: each needs an audit before it is a claim (see its note or comment).")
    for proposal in propose(text, targets):
        print()
        print(proposal.toml(), end="")
    return 0


def _list(papers) -> int:
    for p in papers:
        print(f"{p.paper}: {len(p.verdicts)} claims, {len(p.comparisons)} paired comparisons, "
              f"{len(p.dataset.tables)} tables ({', '.join(p.dataset.tables)})")
        for v in p.verdicts:
            print(f"  {v.claim_id:<42} {v.expected:<17} {v.reported}")
    return 0
