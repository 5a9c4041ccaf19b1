"""The audit lock: a paper's claims and table schemas cannot change without a deliberate re-audit.

``datapackage.json`` records, under ``"x-audit"``, the sha256 of ``claims.toml`` (every printed
value, audited verdict, decision-error flag and diagnosis) and of the package's own metadata
(schemas, constraints, missing-value codes and cell provenance; the CSV hashes and the lock itself
left out). ``check`` and ``reproduce`` refuse a paper whose files no longer match, as they refuse a
changed CSV; ``python -m reanalysis rehash <paper>`` re-records both after a deliberate edit.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from reanalysis.errors import DataError

KEY = "x-audit"


def fingerprints(folder: Path) -> dict:
    """The sha256 of ``claims.toml`` and of the datapackage's metadata, as recorded under ``x-audit``."""
    folder = Path(folder)
    meta = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    meta.pop(KEY, None)
    for res in meta.get("resources", []):
        if isinstance(res, dict):
            res.pop("hash", None)
    schema = json.dumps(meta, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return {"claims": _sha256((folder / "claims.toml").read_bytes()), "metadata": _sha256(schema)}


def verify(folder: Path) -> None:
    """Raise DataError when ``claims.toml`` or the datapackage metadata changed since the recorded audit."""
    folder = Path(folder)
    recorded = json.loads((folder / "datapackage.json").read_text(encoding="utf-8")).get(KEY)
    fix = f"if the change is deliberate and its verdicts re-audited, re-record it with `python -m reanalysis rehash {folder.name}`"
    if not isinstance(recorded, dict):
        raise DataError(f"{folder / 'datapackage.json'}: no audit lock ('{KEY}') recorded; once the paper's verdicts "
                        f"are audited, record it with `python -m reanalysis rehash {folder.name}`")
    actual = fingerprints(folder)
    for what, path in (("claims", folder / "claims.toml"), ("metadata", folder / "datapackage.json")):
        if recorded.get(what) != actual[what]:
            part = "" if what == "claims" else " (schemas, constraints or cell provenance)"
            raise DataError(f"{path}: changed{part} since it was audited ({actual[what]} differs from the recorded "
                            f"{recorded.get(what)}); {fix}")


def relock(folder: Path) -> bool:
    """Record the current fingerprints in ``datapackage.json``; True when they changed."""
    folder = Path(folder)
    path = folder / "datapackage.json"
    meta = json.loads(path.read_text(encoding="utf-8"))
    new = fingerprints(folder)
    if meta.get(KEY) == new:
        return False
    meta[KEY] = new
    path.write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return True


def _sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()
