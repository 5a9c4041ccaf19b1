"""``make bench``: how long ``check`` and ``reproduce`` take beside Python's import floor, and how the
engine scales on a synthetic corpus of 10, 100 and 1,000 papers of 100 claims each (generated in a
temporary folder, never committed). Prints one table; asserts nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from reanalysis import audit

ROOT = Path(__file__).resolve().parents[1]
CLAIMS_PER_PAPER = 100


def _run(args, cwd=ROOT) -> float:
    start = time.perf_counter()
    subprocess.run(args, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def _best(args, repeat: int = 3, cwd=ROOT) -> float:
    return min(_run(args, cwd) for _ in range(repeat))


def synthetic_paper(folder: Path, seed: int) -> None:
    """A count-level paper of 20 rows and 100 claims, all of which reproduce."""
    folder.mkdir(parents=True)
    rows = [(f"r{i}", 5 + (seed + 3 * i) % 40) for i in range(20)]
    csv_text = "row,events\n" + "".join(f"{k},{v}\n" for k, v in rows)
    (folder / "counts.csv").write_text(csv_text, encoding="utf-8")
    meta = {"name": folder.name, "resources": [{
        "name": "counts", "path": "counts.csv", "hash": "sha256:" + hashlib.sha256(csv_text.encode()).hexdigest(),
        "schema": {"primaryKey": ["row"], "fields": [
            {"name": "row", "type": "string", "constraints": {"required": True, "unique": True}},
            {"name": "events", "type": "integer", "constraints": {"required": True, "minimum": 0}}]}}]}
    (folder / "datapackage.json").write_text(json.dumps(meta), encoding="utf-8")
    value = dict(rows)
    claims = [f'[paper]\nid = "{folder.name}"\nsource = "{folder.name}.txt"\n']
    for i in range(CLAIMS_PER_PAPER):
        a, b = rows[i % 20][0], rows[(i + 7) % 20][0]
        if i % 2:
            analysis, reported = "arithmetic", value[a] + value[b]
            params = (f'{{ expression = "a + b", of = {{ a = {{ table = "counts", row = "{a}", column = "events" }}, '
                      f'b = {{ table = "counts", row = "{b}", column = "events" }} }} }}')
        else:
            analysis, params, reported = "cell", f'{{ table = "counts", row = "{a}", column = "events" }}', value[a]
        claims.append(f'[[claim]]\nid = "c{i}"\nlocation = "synthetic"\nquote = "q"\nreported = "{reported}"\n'
                      f'analysis = "{analysis}"\nparams = {params}\nexpected = "reproduced"\n')
    (folder / "claims.toml").write_text("\n".join(claims), encoding="utf-8")
    audit.relock(folder)  # synthetic verdicts are audited by construction


def scaling(papers: int) -> tuple[float, float]:
    """Wall time of ``check`` over ``papers`` synthetic papers and the peak memory (MiB) of its processes."""
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(papers):
            synthetic_paper(Path(tmp) / "datasets" / f"p{i:04d}", i)
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        seconds = _run([sys.executable, "-m", "reanalysis", "--root", tmp, "check"])
        peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    return seconds, peak


def main() -> int:
    floor = _best([sys.executable, "-c", "import pandas, scipy.stats, statsmodels.api"])
    check = _best([sys.executable, "-m", "reanalysis", "check"])
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(ROOT / "datasets", Path(tmp) / "datasets")
        reproduce = _best([sys.executable, "-m", "reanalysis", "--root", tmp, "reproduce"], repeat=1)
    claims = sum(1 for _ in (ROOT / "datasets").glob("*/claims.toml") for line in _.read_text().splitlines()
                 if line == "[[claim]]")
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print(f"{'run':<34}{'seconds':>9}{'x floor':>9}{'claims/s':>10}{'peak MiB':>10}")
    print(f"{'import floor (pandas, scipy, sm)':<34}{floor:>9.2f}{1:>9.2f}")
    print(f"{f'check ({claims} claims)':<34}{check:>9.2f}{check / floor:>9.2f}{claims / check:>10.0f}")
    print(f"{'reproduce (with figures, report)':<34}{reproduce:>9.2f}{reproduce / floor:>9.2f}")
    for n in (10, 100, 1000):
        seconds, peak = scaling(n)
        total = n * CLAIMS_PER_PAPER
        print(f"{f'synthetic {n} papers x {CLAIMS_PER_PAPER} claims':<34}{seconds:>9.2f}{seconds / floor:>9.2f}"
              f"{total / seconds:>10.0f}{peak:>10.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
