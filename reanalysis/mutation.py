"""Data mutation test: does changing one transcribed cell make ``check`` fail?

Each numeric cell is perturbed in its last printed digit (``52.8`` -> ``52.9``; a 9 becomes 8),
in memory, and every claim of its paper is judged again. A cell *feeds* a claim when some
recomputed value changes; it is *detected* when some verdict then differs from its audited
verdict, which is what makes ``python -m reanalysis check`` exit 1. (On disk any edit is
also refused by the sha256 check; this test measures the claims alone.)

Run the full sweep with ``python -m reanalysis.mutation`` (``make mutation``).
"""

from __future__ import annotations

import csv
import random
import sys
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path

from reanalysis.claims import load_claims
from reanalysis.datasets import load_dataset
from reanalysis.engine import judge_claims, paper_folders
from reanalysis.progress import Progress
from reanalysis.errors import ReanalysisError


@dataclass(frozen=True)
class CellResult:
    """The outcome of perturbing one cell.

    ``shift`` is the largest change of a fed claim's recomputed value, in units of that claim's
    last printed digit, over the claims judged by rounding (not bounds, not claims already
    discrepant): below 1, an undetected change is explained as absorbed by the printed rounding.
    """

    paper: str
    table: str
    key: str
    column: str
    printed: str
    perturbed: str
    feeds: tuple
    detected: tuple
    shift: float

    @property
    def explained(self) -> bool:
        """Detected, or feeding only claims that a move this small cannot flip."""
        return bool(self.detected) or self.shift < 1


def perturb(text: str, position: str = "last") -> str:
    """Change the ``"last"`` or ``"first"`` digit of a printed number by one (up, or down from 9;
    a leading 1 goes to 2 so the number keeps its length)."""
    digits = [i for i, ch in enumerate(text) if ch.isdigit()]
    i = digits[-1] if position == "last" else next((j for j in digits if text[j] != "0"), digits[-1])
    digit = int(text[i])
    return text[:i] + str(digit + 1 if digit < 9 else digit - 1) + text[i + 1:]


def cells(folder: Path) -> list:
    """Every non-missing numeric cell of a CSV that is not a primary key (numbers, and numbers kept as
    printed text; a derived column is not in the CSV), as ``(table, row index, key, column, printed text)``."""
    dataset = load_dataset(folder)
    out = []
    for name, table in dataset.tables.items():
        with table.path.open(encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        key = table.primary_key[0] if table.primary_key else None
        for column, field in table.fields.items():
            if column in table.primary_key or not _numeric(field) or "x-derived" in field:  # not in the CSV
                continue
            for i, row in enumerate(rows):
                text = row[column]
                if text and text not in table.missing_values:
                    out.append((name, i, row[key] if key else str(i + 2), column, text))
    return out


def _numeric(field: dict) -> bool:
    """Numbers, and summary values kept as printed text under a numeric pattern."""
    if field["type"] in ("integer", "number"):
        return True
    pattern = field.get("constraints", {}).get("pattern", "")
    return field["type"] == "string" and r"\d" in pattern


def sweep(folder: Path, sample: int | None = None, seed: int = 2005, position: str = "last", progress=None) -> list:
    """Perturb every numeric cell (or a fixed random ``sample`` of them) and judge all claims again;
    ``progress(done, total)`` is called after each cell."""
    folder = Path(folder)
    dataset = load_dataset(folder)
    paper = load_claims(folder / "claims.toml")
    baseline = {v.claim_id: v for v in judge_claims(dataset, paper)}
    units = {c.id: c.printed.unit for c in paper.claims}
    todo = cells(folder)
    if sample is not None and sample < len(todo):
        todo = random.Random(seed).sample(todo, sample)
    results = []
    for done, (table_name, index, key, column, text) in enumerate(todo, start=1):
        if progress is not None:
            progress(done, len(todo))
        table = dataset.tables[table_name]
        new_text = perturb(text, position)
        frame = table.frame.copy()
        numeric = table.fields[column]["type"] in ("integer", "number")
        frame.loc[frame.index[index], column] = float(new_text) if numeric else new_text
        exact = table.exact
        if numeric:
            values = list(exact[column])
            values[index] = Fraction(new_text)
            exact = {**exact, column: tuple(values)}
        variant = replace(dataset, tables={**dataset.tables, table_name: replace(table, frame=frame, exact=exact)})
        try:
            verdicts = judge_claims(variant, paper)
        except ReanalysisError as e:  # `check` stops with exit 2 on it: detected
            results.append(CellResult(folder.name, table_name, key, column, text, new_text, ("(input error)",),
                                      (str(e).split(": ", 1)[-1],), 0.0))
            continue
        fed = [v for v in verdicts if v.recomputed != baseline[v.claim_id].recomputed]
        # Bounds and feasibility checks (no rounding rule) not crossed, and claims already discrepant,
        # cannot flip by a small move; the rest are judged by rounding, and a move under one printed
        # unit can vanish in it.
        rounded = [v for v in fed if baseline[v.claim_id].rule and baseline[v.claim_id].verdict != "discrepant"]
        shift = max((abs(v.recomputed - baseline[v.claim_id].recomputed) / float(units[v.claim_id])
                     for v in rounded), default=0.0)
        detected = tuple(v.claim_id for v in verdicts if v.verdict != v.expected)
        results.append(CellResult(folder.name, table_name, key, column, text, new_text,
                                  tuple(v.claim_id for v in fed), detected, shift))
    return results


def summary(results: list) -> str:
    """Detection rate among cells that feed a claim, then the cells absorbed and those feeding none."""
    fed = [r for r in results if r.feeds]
    detected = [r for r in fed if r.detected]
    lines = [f"cells perturbed: {len(results)}; feeding at least one claim: {len(fed)}; detected: {len(detected)} "
             f"({100 * len(detected) / len(fed) if fed else 100:.1f}%); feeding no claim: {len(results) - len(fed)}"]
    unexplained = [r for r in fed if not r.explained]
    lines.append(f"undetected but explained (each rounded claim moves < 1 printed unit; bounds not crossed; claims "
                 f"already discrepant stay so): {len(fed) - len(detected) - len(unexplained)}; unexplained: "
                 f"{len(unexplained)}")
    for r in fed:
        if not r.detected:
            lines.append(f"{'ABSORBED' if r.explained else 'UNEXPLAINED'} {r.paper}/{r.table} row {r.key} {r.column}: "
                         f"{r.printed} -> {r.perturbed} moves {', '.join(r.feeds)}; rounded claims by at most "
                         f"{r.shift:.2f} of a printed unit; no verdict changes")
    for r in results:
        if not r.feeds:
            lines.append(f"FEEDS NO CLAIM {r.paper}/{r.table} row {r.key} {r.column} ({r.printed})")
    return "\n".join(lines)


def main(argv=None) -> int:
    root = Path(argv[0] if argv else "datasets")
    folders = paper_folders(root)
    for position in ("last", "first"):
        results = []
        for folder in folders:
            progress = Progress(f"cells of {folder.name} perturbed ({position} digit)")
            results += sweep(folder, position=position, progress=progress)
            progress.close()
        print(f"== {position} printed digit changed by one; claims alone (the sha256 check refuses every "
              "such file before any claim is judged)")
        print(summary(results))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
