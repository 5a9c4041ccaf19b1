"""Read a paper's claims file: every printed number with its provenance and audited verdict.

The file is ``datasets/<paper>/claims.toml``. It declares the paper (``[paper]``), named row
subsets (``[[subset]]``), the paired comparisons the paper tests (``[[comparison]]``) and one
``[[claim]]`` per printed number. A claim says where the number is printed, quotes the text,
keeps the value exactly as printed, names the analysis that recomputes it, and records the
audited verdict (``expected``) with the auditor's diagnosis (``note``).
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from reanalysis import rounding
from reanalysis.errors import ClaimError, locate
from reanalysis.files import read_bytes

VERDICTS = ("reproduced", "consistent", "discrepant", "not_recomputable")
UNAUDITED = "unaudited"  # a claim drafted or added whose verdict nobody has audited: check prints its verdict, exit 1
DRAFT = "DRAFT"  # a note that begins so is a draft's placeholder, not an audit
# Why a number is not recomputed: the paper's gap, a check's, or the tool's. A claim declares the first or
# the last (analysis not_recomputable); the engine finds the second (a check with strength 0).
REASONS = {
    "source_lacks_data": "the source lacks the data",
    "check_cannot_fail": "the only available check cannot fail",
    "vocabulary_lacks": "the vocabulary lacks the statistic",
}
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# The keys each part of a claims file may hold; any other key is an error (a typo is never ignored).
KEYS = {
    "file": {"paper", "subset", "comparison", "contrast", "proportion", "figure", "pooled", "claim"},
    "paper": {"id", "source", "alpha", "report_notes", "disease", "regimen", "decimal_comma"},
    "subset": {"id", "description", "table", "where"},
    "comparison": {"id", "label", "table", "before", "after", "unit", "subset"},
    "contrast": {"id", "label", "table", "by", "treatment", "comparator", "subset"},
    "proportion": {"id", "label", "table", "row", "itt_row", "withdrawn_row", "where", "disease", "regimen"},
    "remission_bars": {"id", "kind", "title", "bar"},
    "summary_panels": {"id", "kind", "title", "table", "variables"},
    "reconstruction": {"id", "kind", "title", "table", "rows", "n"},
    "bar": {"series", "month", "proportion", "claim", "n_rows_of"},
    "pooled": {"id", "label", "table", "trials"},
    "trial": {"label", "treatment", "comparator"},
    "claim": {"id", "location", "quote", "reported", "analysis", "expected", "note", "reads_as", "assumption",
              "alternatives", "params", "same_as", "decision_error", "finding", "range_with", "part"},
    "alternative": {"label", "analysis", "params"},
}
FIGURE_KINDS = ("remission_bars", "summary_panels", "reconstruction")


@dataclass(frozen=True)
class Subset:
    """Rows of one table meeting a condition (:mod:`reanalysis.conditions`), such as the patients who
    stayed on the drug; other tables with the same primary key are subset through it."""

    id: str
    description: str
    table: str
    where: dict


@dataclass(frozen=True)
class Comparison:
    """A paired before/after comparison the paper tests: two columns of one table over a subset."""

    id: str
    label: str
    table: str
    before: str
    after: str
    unit: str
    subset: str | None = None


@dataclass(frozen=True)
class Contrast:
    """Two groups the paper compares, declared once and named by every claim about them.

    With ``by``, the rows of a patient table whose column ``by`` holds ``treatment`` or
    ``comparator`` (over ``subset`` when given); without it, two rows of a table, keys ``treatment``
    and ``comparator``: of a count table (events and n) or of a summary table (mean, SD and n).
    """

    id: str
    label: str
    table: str
    treatment: object
    comparator: object
    by: str | None = None
    subset: str | None = None


@dataclass(frozen=True)
class ProportionSpec:
    """A proportion to show with exact CIs: a count row (``events`` / ``denominator``) of a count
    table, or the rows of a patient table meeting ``where``. With ``itt_row`` and ``withdrawn_row``
    also as intention-to-treat and best case (withdrawals as failures / successes). ``disease`` and
    ``regimen`` (default: the paper's) group it in the cross-study figure."""

    id: str
    label: str
    table: str
    row: str | None = None
    itt_row: str | None = None
    withdrawn_row: str | None = None
    where: dict | None = None
    disease: str = ""
    regimen: str = ""


@dataclass(frozen=True)
class FigureSpec:
    """A figure of the paper redrawn from what it prints: ``remission_bars`` (bars per month and
    series, each from a proportion, from a count printed in the text, or marked not recoverable) or
    ``summary_panels`` (group mean and SD over time from a summary table, with its marks) or
    ``reconstruction`` (the samples of whole numbers that fit summary rows' printed n, mean, SD and range)."""

    id: str
    kind: str
    title: str
    params: dict


@dataclass(frozen=True)
class Alternative:
    """Another computation a reader could suspect behind a printed number (used for diagnosis)."""

    label: str
    analysis: str
    params: dict


@dataclass(frozen=True)
class Claim:
    """One printed number.

    Attributes
    ----------
    reported : str
        The value exactly as printed, without its label.
    reads_as : str or None
        For a verbal report ("not statistically changed"), the bound it states (``">=0.05"``).
    assumption : str or None
        An assumption the recomputation rests on; a claim with one can be at best ``consistent``.
    same_as : str or None
        The id of a claim that states the same number elsewhere (a second language, the abstract);
        the two printed values must agree.
    decision_error : bool
        The audited decision-error flag: the recomputed p-value is on the other side of alpha.
    finding : str or None
        The id of the finding this claim belongs to, when several discrepant claims are one error
        of the paper (the two ends of one wrong range): scorecards count the finding once.
    range_with : str or None
        The id of the claim that prints the other end of the same range ("13–20"): the two ends
        must be printed under one rounding rule.
    part : int or None
        Which number of a printed text holding several (``"1.58 ± 1.17"``, ``"0.80 (0.64 to
        0.99)"``) the claim judges, counted from 1 left to right.
    printed : Printed or None
        The value judged; None only for a ``not_recomputable`` claim on a text of several numbers
        that names no part.
    """

    id: str
    location: str
    quote: str
    reported: str
    analysis: str
    params: dict
    expected: str

    @property
    def audited(self) -> bool:
        """Whether someone audited this claim: an expected verdict other than ``unaudited``, and a note that is not
        a draft's placeholder."""
        return self.expected != UNAUDITED and not self.note.startswith(DRAFT)
    note: str = ""
    reads_as: str | None = None
    assumption: str | None = None
    alternatives: tuple[Alternative, ...] = ()
    same_as: str | None = None
    decision_error: bool = False
    finding: str | None = None
    range_with: str | None = None
    part: int | None = None
    printed: rounding.Printed | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class PaperClaims:
    """Everything in one claims file."""

    paper: str
    path: Path
    source: str
    alpha: float
    decimal_comma: bool
    report_notes: tuple
    subsets: dict
    comparisons: dict
    contrasts: dict
    proportions: tuple
    figures: tuple
    pooled: tuple
    claims: tuple[Claim, ...]


def load_claims(path: Path) -> PaperClaims:
    """Parse and check the form of a claims file (references are checked by the engine).

    Raises
    ------
    ClaimError
        For invalid TOML, a malformed or duplicated id, a missing key, an unknown verdict, an
        unparseable printed value, or a discrepant / not_recomputable claim without a note.
    """
    path = Path(path)
    data = read_bytes(path, "the paper's claims.toml", ClaimError, inside=path.parent)
    if data.startswith(b"\xef\xbb\xbf"):
        raise ClaimError(f"{path}: starts with a byte-order mark (BOM); save it as UTF-8 without a BOM")
    try:
        doc = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError as e:
        raise ClaimError(f"{path}: not UTF-8 (byte {e.start})") from None
    except tomllib.TOMLDecodeError as e:
        raise ClaimError(f"{path}: invalid TOML ({e})") from None
    except RecursionError:
        raise ClaimError(f"{path}: arrays or tables nested too deeply to read") from None
    _known(path, doc, "file", "the file")
    _no_control_characters(path, doc, "")
    paper = doc.get("paper")
    if not isinstance(paper, dict) or not isinstance(paper.get("id"), str):
        raise ClaimError(f"{path}: needs a [paper] table with an 'id'")
    _known(path, paper, "paper", "[paper]")
    for kind in ("subset", "comparison", "contrast", "proportion", "figure", "pooled", "claim"):
        if not isinstance(doc.get(kind, []), list):
            raise ClaimError(f"{path}: '{kind}' must be an array of tables, written [[{kind}]]")
    if not isinstance(paper.get("source"), str) or not paper["source"].strip() or "/" in paper["source"]:
        raise ClaimError(f"{path}: [paper] needs a 'source', the file name of the paper's text in the sources search "
                         "path (--sources, $REANALYSIS_SOURCES, else ../shared/seeds), e.g. source = "
                         "\"000_fd8e2488305cd4cf.txt\"; its quotes are checked against it")
    alpha = paper.get("alpha", 0.05)
    if not isinstance(alpha, float) or not 0 < alpha < 1:
        raise ClaimError(f"{path}: [paper] alpha must be a number between 0 and 1, got {alpha!r}")
    decimal_comma = paper.get("decimal_comma", False)
    if not isinstance(decimal_comma, bool):
        raise ClaimError(f"{path}: [paper] decimal_comma must be true or false, got {decimal_comma!r}")
    notes = paper.get("report_notes", [])
    if not isinstance(notes, list) or not all(isinstance(n, str) for n in notes):
        raise ClaimError(f"{path}: [paper] report_notes must be a list of strings")
    subsets = {}
    for s in doc.get("subset", []):
        sid = _id(path, s, "subset")
        _known(path, s, "subset", f"[[subset]] {sid!r}")
        _require(path, s, ("description", "table", "where"), sid, "subset")
        subsets[_unique(path, subsets, sid, "subset")] = Subset(sid, s["description"], s["table"], s["where"])
    comparisons = {}
    for c in doc.get("comparison", []):
        cid = _id(path, c, "comparison")
        _known(path, c, "comparison", f"[[comparison]] {cid!r}")
        _require(path, c, ("label", "table", "before", "after", "unit"), cid, "comparison")
        if c.get("subset") is not None and c["subset"] not in subsets:
            raise ClaimError(f"{_at(path, 'comparison', cid)}: unknown subset {c['subset']!r}")
        comparisons[_unique(path, comparisons, cid, "comparison")] = Comparison(
            cid, c["label"], c["table"], c["before"], c["after"], c["unit"], c.get("subset"))
    contrasts = {}
    for c in doc.get("contrast", []):
        cid = _id(path, c, "contrast")
        _known(path, c, "contrast", f"[[contrast]] {cid!r}")
        _require(path, c, ("label", "table", "treatment", "comparator"), cid, "contrast")
        if c.get("subset") is not None and c["subset"] not in subsets:
            raise ClaimError(f"{_at(path, 'contrast', cid)}: unknown subset {c['subset']!r}")
        contrasts[_unique(path, contrasts, cid, "contrast")] = Contrast(
            cid, c["label"], c["table"], c["treatment"], c["comparator"], c.get("by"), c.get("subset"))
    proportions, seen = [], set()
    for p in doc.get("proportion", []):
        pid = _id(path, p, "proportion")
        _known(path, p, "proportion", f"[[proportion]] {pid!r}")
        _require(path, p, ("label", "table"), pid, "proportion")
        if ("row" in p) == ("where" in p):
            raise ClaimError(f"{_at(path, 'proportion', pid)}: a proportion needs either 'row' or 'where'")
        _unique(path, dict.fromkeys(seen), pid, "proportion")
        seen.add(pid)
        proportions.append(ProportionSpec(pid, p["label"], p["table"], p.get("row"), p.get("itt_row"),
                                          p.get("withdrawn_row"), p.get("where"), p.get("disease", paper.get("disease", "")),
                                          p.get("regimen", paper.get("regimen", ""))))
    figures, seen = [], set()
    for f in doc.get("figure", []):
        fid = _id(path, f, "figure")
        _require(path, f, ("kind", "title"), fid, "figure")
        if f["kind"] not in FIGURE_KINDS:
            raise ClaimError(f"{_at(path, 'figure', fid)}: unknown figure kind {f['kind']!r}; known: "
                             f"{', '.join(FIGURE_KINDS)}")
        _known(path, f, f["kind"], f"[[figure]] {fid!r}")
        _require(path, f, tuple(sorted(KEYS[f["kind"]] - {"id", "kind", "title"})), fid, "figure")
        for bar in f.get("bar", []):
            if not isinstance(bar, dict):
                raise ClaimError(f"{_at(path, 'figure', fid)}: each bar must be a table")
            _known(path, bar, "bar", f"a bar of [[figure]] {fid!r}")
        _unique(path, dict.fromkeys(seen), fid, "figure")
        seen.add(fid)
        figures.append(FigureSpec(fid, f["kind"], f["title"], {k: v for k, v in f.items() if k not in ("id", "kind", "title")}))
    pooled, seen = [], set()
    for spec in doc.get("pooled", []):
        sid = _id(path, spec, "pooled")
        _known(path, spec, "pooled", f"[[pooled]] {sid!r}")
        _require(path, spec, ("label", "table", "trials"), sid, "pooled")
        if not isinstance(spec["trials"], list) or len(spec["trials"]) < 2:
            raise ClaimError(f"{_at(path, 'pooled', sid)}: pooling needs a list of at least two trials")
        for t in spec["trials"]:
            if not isinstance(t, dict) or {"label", "treatment", "comparator"} - set(t):
                raise ClaimError(f"{_at(path, 'pooled', sid)}: each trial needs label, treatment and comparator rows")
            _known(path, t, "trial", f"a trial of [[pooled]] {sid!r}")
        _unique(path, dict.fromkeys(seen), sid, "pooled")
        seen.add(sid)
        pooled.append(FigureSpec(sid, "pooled", spec["label"], {k: v for k, v in spec.items() if k not in ("id", "label")}))
    claims, seen = [], set()
    for entry in doc.get("claim", []):
        claims.append(_claim(path, entry, seen, decimal_comma))
    if not claims:
        raise ClaimError(f"{path}: no [[claim]] entries")
    for c in claims:
        for key in ("same_as", "range_with"):
            other = getattr(c, key)
            if other is not None and (other not in seen or other == c.id):
                raise ClaimError(f"{locate(path, claim=c.id)}: {key} names unknown claim {other!r}")
            if other is not None and None in (c.printed, next(d for d in claims if d.id == other).printed):
                raise ClaimError(f"{locate(path, claim=c.id)}: {key} compares single printed values; say which "
                                 "number of a text of several each claim is, with part")
    return PaperClaims(paper["id"], path, paper["source"], alpha, decimal_comma, tuple(notes), subsets, comparisons,
                       contrasts, tuple(proportions), tuple(figures), tuple(pooled), tuple(claims))


def _claim(path: Path, entry: dict, seen: set, decimal_comma: bool) -> Claim:
    cid = _id(path, entry, "claim")
    if cid in seen:
        raise ClaimError(f"{locate(path, claim=cid)}: claim id used twice")
    seen.add(cid)
    _known(path, entry, "claim", f"claim {cid!r}")
    _require(path, entry, ("location", "quote", "reported", "analysis", "expected"), cid)
    if entry["expected"] not in VERDICTS + (UNAUDITED,):
        raise ClaimError(f"{locate(path, claim=cid)}: expected verdict {entry['expected']!r} is not one of "
                         f"{', '.join(VERDICTS)} (or {UNAUDITED!r} for a claim whose verdict is not audited yet)")
    if entry["expected"] in ("discrepant", "not_recomputable") and not entry.get("note", "").strip():
        raise ClaimError(f"{locate(path, claim=cid)}: a {entry['expected']} claim needs a 'note' with its diagnosis")
    for key in ("reported", "reads_as"):
        if key in entry and not isinstance(entry[key], str):
            raise ClaimError(f"{locate(path, claim=cid)}, key {key!r}: must be a string exactly as printed, e.g. "
                             f"{key} = \"{entry[key]}\", got {entry[key]!r}")
    printed = _printed(path, cid, entry, decimal_comma)
    alternatives = []
    for alt in entry.get("alternatives", []):
        if not isinstance(alt, dict) or not isinstance(alt.get("label"), str) or not isinstance(alt.get("analysis"), str):
            raise ClaimError(f"{locate(path, claim=cid)}: each alternative needs a 'label' and an 'analysis'")
        _known(path, alt, "alternative", f"an alternative of claim {cid!r}")
        alternatives.append(Alternative(alt["label"], alt["analysis"], dict(alt.get("params", {}))))
    if not isinstance(entry.get("decision_error", False), bool):
        raise ClaimError(f"{locate(path, claim=cid)}: 'decision_error' must be true or false")
    if entry.get("decision_error") and entry["expected"] not in ("discrepant", UNAUDITED):
        raise ClaimError(f"{locate(path, claim=cid)}: only a discrepant claim can have decision_error = true")
    finding = entry.get("finding")
    if finding is not None and (not isinstance(finding, str) or not _ID.match(finding)):
        raise ClaimError(f"{locate(path, claim=cid)}: finding id {finding!r} is malformed; use lower-case words "
                         "joined by '-'")
    params = entry.get("params", {})
    if not isinstance(params, dict):
        raise ClaimError(f"{locate(path, claim=cid)}: 'params' must be a table")
    return Claim(cid, entry["location"], entry["quote"], entry["reported"], entry["analysis"], dict(params),
                 entry["expected"], entry.get("note", ""), entry.get("reads_as"), entry.get("assumption"),
                 tuple(alternatives), entry.get("same_as"), entry.get("decision_error", False), finding,
                 entry.get("range_with"), entry.get("part"), printed)


def _printed(path: Path, cid: str, entry: dict, decimal_comma: bool) -> rounding.Printed | None:
    """The one printed value a claim judges: its ``reads_as`` reading, or the ``part`` of the printed text
    (counted from 1, left to right) when the text holds several numbers (``"1.58 ± 1.17"``)."""
    part = entry.get("part")
    if part is not None and (not isinstance(part, int) or isinstance(part, bool) or part < 1):
        raise ClaimError(f"{locate(path, claim=cid)}, key 'part': must be a whole number from 1, got {part!r}")
    key = "reads_as" if entry.get("reads_as") else "reported"
    try:
        if key == "reads_as":
            return rounding.parse(entry["reads_as"], decimal_comma)
        found = rounding.parts(entry["reported"], decimal_comma)
    except ValueError as e:
        hint = ("; a word or mark (\"significant\", \"**\") needs reads_as, the bound or number it states (reads_as "
                "= \"<0.05\")") if key == "reported" else ""
        raise ClaimError(f"{locate(path, claim=cid)}, key {key!r}: {e}{hint}") from None
    if part is None and len(found) == 1:
        return found[0]
    if part is None:
        if entry["analysis"] == "not_recomputable":
            return None
        raise ClaimError(f"{locate(path, claim=cid)}: {entry['reported']!r} prints {len(found)} numbers ("
                         f"{', '.join(p.text for p in found)}); say which one the claim judges with part = 1 to "
                         f"{len(found)}")
    if part > len(found):
        raise ClaimError(f"{locate(path, claim=cid)}, key 'part': {entry['reported']!r} prints {len(found)} "
                         f"number{'s' if len(found) > 1 else ''}, so part {part} does not exist")
    return found[part - 1]


def _id(path: Path, entry, kind: str) -> str:
    if not isinstance(entry, dict):
        raise ClaimError(f"{path}: each [[{kind}]] must be a table")
    cid = entry.get("id")
    if not isinstance(cid, str) or not _ID.match(cid):
        raise ClaimError(f"{path}: {kind} id {cid!r} is malformed; use lower-case words joined by '-', "
                         "e.g. 'results-relapse-p'")
    return cid


def _no_control_characters(path: Path, value, where: str) -> None:
    """No text of a claims file holds a control character (a newline, tab or carriage return inside a quote,
    location or note would break the one-line-per-claim outputs and let text run as a spreadsheet formula)."""
    if isinstance(value, str):
        bad = next((ch for ch in value if unicodedata.category(ch) == "Cc"), None)
        if bad is not None:
            raise ClaimError(f"{path}: {where.lstrip('.')} holds the control character U+{ord(bad):04X}; write the "
                             "text on one line, without tabs")
    elif isinstance(value, dict):
        for key, item in value.items():
            _no_control_characters(path, item, f"{where}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _no_control_characters(path, item, f"{where}[{i + 1}]")


# The type of every key that is not text: (Python types, what a message calls them); None where a later check
# says more (the sections of the file, a printed value, a part, a flag). Every other key is text.
_SAID_LATER = (None, "")
_TYPED = {
    "file": {key: _SAID_LATER for key in KEYS["file"]},
    "paper": {"alpha": ((float,), "a number such as 0.05"), "decimal_comma": _SAID_LATER,
              "report_notes": ((list,), "a list of strings")},
    "subset": {"where": ((dict,), "a condition table")},
    "proportion": {"where": ((dict,), "a condition table")},
    "remission_bars": {"bar": ((list,), "a list of bars")},
    "summary_panels": {"variables": ((list,), "a list of row names")},
    "reconstruction": {"rows": ((list,), "a list of row keys"), "n": ((dict,), "a reference table")},
    "bar": {"month": ((int,), "a whole number")},
    "pooled": {"trials": ((list,), "a list of trials")},
    "trial": {"treatment": ((list,), "a list of row keys"), "comparator": ((list,), "a list of row keys")},
    "claim": {"params": ((dict,), "a table"), "alternatives": ((list,), "a list of tables"),
              "decision_error": _SAID_LATER, "part": _SAID_LATER, "reported": _SAID_LATER},
    "alternative": {"params": ((dict,), "a table")},
}


def _known(path: Path, entry: dict, part: str, where: str) -> None:
    """Refuse any key that ``part`` of a claims file does not hold (a typo such as ``alpah``), and any value of the
    wrong type (``note = 5``, a list for a table name)."""
    unknown = sorted(set(entry) - KEYS[part])
    if unknown:
        raise ClaimError(f"{path}: {where} has unknown key {unknown[0]!r}; allowed: {', '.join(sorted(KEYS[part]))}")
    typed = _TYPED.get(part, {})
    for key, value in entry.items():
        kinds, said = typed.get(key, ((str,), "a string"))
        if kinds is not None and (isinstance(value, bool) != (bool in kinds) or not isinstance(value, kinds)):
            raise ClaimError(f"{path}: {where}, key {key!r} must be {said}, got {value!r}"[:300])


def _require(path: Path, entry: dict, keys: tuple, cid: str, section: str = "claim") -> None:
    for k in keys:
        if k not in entry or (isinstance(entry[k], str) and not entry[k].strip()):
            raise ClaimError(f"{_at(path, section, cid)}: missing {k!r}")


def _unique(path: Path, seen: dict, cid: str, kind: str) -> str:
    if cid in seen:
        raise ClaimError(f"{_at(path, kind, cid)}: {kind} id used twice")
    return cid


def _at(path: Path, section: str, eid: str) -> str:
    """Where an entry is: ``file, claim 'id'`` for a claim, ``file, [[figure]] 'id'`` for another section's."""
    return locate(path, claim=eid) if section == "claim" else f"{path}, [[{section}]] {eid!r}"
