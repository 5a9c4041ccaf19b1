"""The claims-language reference, generated from the code: ``docs/claims-language.md``.

Every section of ``claims.toml`` with its keys (:data:`reanalysis.claims.KEYS`), every analysis of the
registry with its kind, the verdicts it can give, its parameters and their types, and one example claim:
the first claim of ``docs/example/`` that uses it, else of the papers shipped with the project (a paper a
user adds does not change the reference). The printed
forms are shown with the intervals :mod:`reanalysis.rounding` gives them. A test regenerates the file and
fails when it differs, and judges every example.

Run ``python -m reanalysis.reference > docs/claims-language.md`` after changing the language.
"""

from __future__ import annotations

import json
import sys
import tomllib
from pathlib import Path

from reanalysis import conditions, rounding
from reanalysis.analyses import ANALYSES, PARAMS, param
from reanalysis.claims import FIGURE_KINDS, KEYS, REASONS, VERDICTS
from reanalysis.coverage import REASONS as REASONS_EXCLUDED
from reanalysis.datasets import ROLES

ROOT = Path(__file__).resolve().parents[1]
SECTIONS = {
    "paper": "The paper: `id` (the folder name), `source` (its text's file name on the sources search path), "
             "`alpha` (the significance level it uses, default 0.05), `decimal_comma` (true when it writes 2,3 for "
             "2.3), `disease` and `regimen` (labels for the cross-study figure), `report_notes` (sentences for the "
             "report).",
    "subset": "Named rows of one table: `table`, `where` (a condition, below), `description`. Tables that share "
              "its primary key are subset through it.",
    "comparison": "A paired before/after comparison: `table`, `before` and `after` columns, `unit`, `label`, "
                  "optional `subset`.",
    "contrast": "Two groups compared, declared once: patient rows split by the column `by` into the values "
                "`treatment` and `comparator` (optional `subset`); or, without `by`, two rows of a count table "
                "(`treatment`, `comparator`) each with `events` and `n`, or two rows of a summary table with "
                "their `mean`, `sd` and `n` (columns found by their roles, below).",
    "proportion": "A proportion shown with exact and Wilson CIs: a count `row` (with optional `itt_row` and "
                  "`withdrawn_row` for the intention-to-treat and best-case rates) or the rows meeting `where`.",
    "figure": "A figure redrawn from what the paper prints: `remission_bars` (a `bar` list), `summary_panels` "
              "(`table`, `variables`) or `reconstruction` (`table`, `rows`, `n`: how often each value occurs in "
              "the samples of whole numbers that fit each row's printed mean, SD and range).",
    "pooled": "Trials pooled into a risk ratio: `table`, `label`, `trials` (each with `label`, `treatment` and "
              "`comparator` rows).",
    "claim": "One printed number: `id`, `location`, `quote` (verbatim, checked against the source), `reported` "
             "(exactly as printed), `part` (which number of a text of several), `reads_as` (the bound or range "
             "a word or mark states, or the number a phrase states: \"an additional case\" is 1), `analysis` and its `params`, the audited `expected` verdict with its `note` (`\"unaudited\"`, or a note that "
             "begins \"DRAFT\", while nobody has audited it: check then prints its verdict and exits 1), "
             "`decision_error`, `finding` (the id of one error of the paper several claims show), `same_as` (the "
             "same number printed elsewhere), `range_with` (the other end of a printed range), `assumption`, "
             "`alternatives` (other computations a reader could suspect, for the diagnosis). An id is lower-case words "
             "joined by '-'; a `discrepant` or `not_recomputable` claim needs a `note`.",
}
FORMS = ["0.016", ".03", "+0.75", "\u22122.46", "5,933,845", "45%", "p = 0.04", "P<.001", "n = 9", "W = 3.5",
         "Seven", "Thirty-four", "17 years, 9 months", "[0.01, 0.05)"]
SEVERAL = ["1.58 \u00b1 1.17", "2.33 (\u00b10.71)", "12 (80%)", "22\u201395", "(1.2 to 3.4)", "0.80 (0.64 to 0.99)",
           "24 to 1", "7/9"]


def markdown(datasets: Path = ROOT / "datasets", example: Path = ROOT / "docs" / "example") -> str:
    """The whole reference as Markdown text."""
    found = examples(datasets, example)
    shown = section_examples(datasets, example)
    out = ["# The claims language", "",
           "Generated from the code by `python -m reanalysis.reference > docs/claims-language.md`; do not edit. "
           "A paper is a folder under `datasets/`: `datapackage.json` (the tables and their schemas), the CSVs, "
           "and `claims.toml`, whose parts are below. Every key not listed is an error.", "",
           "## Sections of claims.toml", ""]
    for part, text in SECTIONS.items():
        kinds = FIGURE_KINDS if part == "figure" else (part,)
        keys = ", ".join(f"`{k}`" for k in sorted(set().union(*(KEYS[kind] for kind in kinds))))
        out += [f"### {'[paper]' if part == 'paper' else f'[[{part}]]'}", "", text, "", f"Keys: {keys}.", ""]
        for paper, entry in shown.get(part, []):
            out += [f"Example ({paper}):", "", "```toml", render(entry, part), "```", ""]
    resource = {k: v for k, v in json.loads((Path(datasets) / "fluge2011" / "datapackage.json").read_text(
        encoding="utf-8"))["resources"][0].items() if k != "hash"}
    out += ["## datapackage.json", "",
            "Describes the paper (`name`, `title`, `citation`, `doi`, `sources`) and each CSV as a resource: `name` "
            "(the table name claims use), `path`, `schema` with `fields` (each a `name`, a `type` among integer, "
            "number, boolean, string, `constraints` such as `required`, `minimum`, `maximum`, `enum`, `pattern`, "
            "`unique`), `primaryKey` and `missingValues` (a Frictionless Table Schema subset). The CSV's header "
            "lists the stored fields in order. `rehash` records each file's `hash`. A resource of fluge2011:", "",
            "```json", json.dumps(resource, ensure_ascii=False, indent=2), "```", "",
            "## exclusions.toml", "",
            "The printed numbers of the source that are not claims, each `[[exclusion]]` with a `reason`, a `quote` "
            "(every number inside every place it occurs is excluded) or a `start` and an `end` (each passage from "
            "`start` to the end of the first `end` after it; it may not run past the next place `start` occurs), "
            "an optional `note`, and for `transcribed` the `table` whose CSV must print each of its numbers. "
            "`python -m reanalysis coverage` accounts for every number (claimed, excluded, unaccounted); a claimed "
            "number may lie inside a `transcribed` passage only. The reasons: "
            + "; ".join(f"`{k}` ({v})" for k, v in REASONS_EXCLUDED.items()) + ".", "",
            "```toml", '[[exclusion]]\nreason = "reference"\nquote = "[20, 34]"\n\n[[exclusion]]\nreason = '
            '"transcribed"\ntable = "table3"\nstart = "Patient 1 32/F"\nend = "HZV, herpes zoster virus"', "```", "",
            "## Column roles", "",
            "An analysis that needs a column by its meaning finds it by its role, declared in the column's field "
            "in `datapackage.json` (`\"x-role\": \"events\"`), never by its name: "
            + ", ".join(f"`{r}`" for r in ROLES) + " (a count table's events and n; a summary table's count, "
            "mean, SD and range ends; an estimate and its CI). A role is given to one column of a table at most.", "",
            "## Derived columns", "",
            "A field of a table's schema in `datapackage.json` may be computed instead of transcribed: "
            "`{ \"name\": \"change\", \"type\": \"number\", \"x-derived\": \"score_after - score_before\" }`. "
            "The CSV does not hold it; each cell is the expression (numbers, other stored numeric columns of the "
            "same row, + - * / and parentheses) computed exactly, and missing where an input is. A printed "
            "column of such values is then reproduced cell by cell (`cell`), and any statistic can use it.", "",
            "## Printed values", "",
            "`reported` keeps the text as printed. It stands for the interval of true values that round to it "
            "(half up; half even, the stored binary value and truncation are tried and named when they are what "
            "matches; a value that prints only when a tie is rounded down, or only when rounded up or down, is discrepant, "
            "and the diagnosis says so). The consistency checks (GRIM, GRIMMER, DEBIT, the reconstructions) read a printed "
            "value as rounded to nearest under any tie rule.", "",
            "| printed | reads as | interval |", "|---|---|---|"]
    for text in FORMS:
        p = rounding.parse(text)
        rule = "bound" if p.kind == "bound" else "half_up"
        out.append(f"| `{text}` | {p.kind} | `{p.interval(rule)}` |")
    out += ["", "Texts of several numbers; a claim names the one it judges with `part` (from 1):", "",
            "| printed | parts |", "|---|---|"]
    for text in SEVERAL:
        out.append(f"| `{text}` | " + ", ".join(f"{i}: `{p.text}`" for i, p in enumerate(rounding.parts(text), 1))
                   + " |")
    out += ["", "Decimal commas (`2,3`) are read where `[paper]` says `decimal_comma = true`.", "",
            "## Conditions", "", _markdown(conditions.__doc__.split("\n\n", 1)[1].strip()), "",
            "## Verdicts", "", "An analysis's evidence is a recomputed value or a check of the printed value; its "
            "strength is the share of the printed value's neighbours it rejects. Verdicts: "
            + ", ".join(f"`{v}`" for v in VERDICTS) + ". A `not_recomputable` claim has one reason: "
            + "; ".join(f"`{r}` ({text})" for r, text in REASONS.items()) + ".", "",
            "## Analyses", "", f"{len(ANALYSES)} analyses, {len(PARAMS)} parameter names.", ""]
    for name, spec in ANALYSES.items():
        doc = (spec.function.__doc__ or "").strip().split("\n\n")[0].replace("\n", " ")
        doc = _markdown(" ".join(doc.split()))
        out += [f"### `{name}`", "", doc, "",
                f"Kind: {spec.kind}; domain {_domain(spec.domain)}; verdicts: {', '.join(spec.verdicts)}.", ""]
        for key in spec.required + spec.optional:
            spec_param = param(name, key)
            shown = f" One of {', '.join(f'`{c}`' for c in spec_param.choices)}." if spec_param.choices else ""
            out.append(f"- `{key}` ({'required' if key in spec.required else 'optional'}, {spec_param.type}): "
                       f"{spec_param.meaning}.{shown}")
        paper, claim = found[name]
        out += ["", f"Example ({paper}):", "", "```toml", render(claim), "```", ""]
    return "\n".join(out).rstrip() + "\n"


SHIPPED = ("amjnephrol2012", "fluge2011", "jcr2011", "kagawa", "ohtomo2005", "rokutanda2014")


def examples(datasets: Path, example: Path) -> dict:
    """For each analysis, (paper id, raw claim table) of its first use: the example folder, then the
    shipped papers in name order."""
    folders = [Path(example)] + [Path(datasets) / name for name in SHIPPED if (Path(datasets) / name).is_dir()]
    found = {}
    for folder in folders:
        doc = tomllib.loads((folder / "claims.toml").read_text(encoding="utf-8"))
        for claim in doc.get("claim", []):
            found.setdefault(claim["analysis"], (doc["paper"]["id"], claim))
    return found


def section_examples(datasets: Path, example: Path) -> dict:
    """For each section but [[claim]], its first entries in the example folder and the shipped papers: one
    of each form where a section has two (a contrast of patient rows and one of table rows)."""
    shown = {}
    for folder in [Path(example)] + [Path(datasets) / name for name in SHIPPED if (Path(datasets) / name).is_dir()]:
        doc = tomllib.loads((folder / "claims.toml").read_text(encoding="utf-8"))
        paper = doc["paper"]["id"]
        shown.setdefault("paper", [(paper, doc["paper"])])
        for part in SECTIONS:
            for entry in doc.get(part, []) if part != "paper" else []:
                form = (part, "by" in entry, entry.get("kind"))
                if form not in {(part, "by" in e, e.get("kind")) for _, e in shown.get(part, [])}:
                    shown.setdefault(part, []).append((paper, entry))
    return shown


def render(claim: dict, part: str = "claim") -> str:
    """An entry as a TOML table, a claim's keys in the order a claims file writes them."""
    if part != "claim":
        header = "[paper]" if part == "paper" else f"[[{part}]]"
        return "\n".join([header] + [f"{k} = {_toml(v)}" for k, v in claim.items()])
    order = ("id", "location", "quote", "reported", "part", "reads_as", "analysis", "params", "expected", "note")
    return "\n".join(["[[claim]]"] + [f"{k} = {_toml(claim[k])}" for k in order if k in claim])


def _toml(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml(v)}" for k, v in value.items()) + " }"
    return str(value)


def _markdown(docstring: str) -> str:
    """reStructuredText literals (double backquotes) as Markdown's single ones."""
    return docstring.replace("``", "`")


def _domain(domain: tuple) -> str:
    low, high = domain
    return f"[{'-inf' if low is None else low}, {'inf' if high is None else high}]"


if __name__ == "__main__":
    sys.stdout.write(markdown())
