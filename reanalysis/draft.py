"""Propose ``[[claim]]`` entries for the printed numbers no claim or exclusion accounts for.

Each proposal has a verbatim quote found at one place in the source (lengthened word by word until it is
unique, and on word boundaries), the value as printed, and a location: the nearest heading above it
("Results", "Table 2", "結果") and the first words of its line, where a flattened table row has its label.

Common printed patterns are recognised: mean (SD), mean ± SD, n (%), "X of Y" and "X/Y", p-values, test
statistics such as "t(28) = 2.20", CIs and ranges. Where the pattern makes the check unambiguous the
proposal names an analysis: a percentage from its printed count and denominator (``percent``), a p-value
from the printed statistic and df (``p_from_statistic``), with ``expected = "unaudited"``. Every other
proposal is a ``not_recomputable`` placeholder. Every note begins "DRAFT", so ``check`` prints each such
claim's verdict as UNAUDITED and exits 1 until someone has audited it: nothing is silently verified.

The extraction uses the standard library's ``re`` only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from reanalysis import rounding
from reanalysis.coverage import Occurrence, Text, occurrences

_NUM = r"[0-9\uff10-\uff19]+(?:[.,][0-9\uff10-\uff19]+)*|\.[0-9]+"
_SIGN = r"[−\-\ufffd]?"
_WORD = (r"(?i:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
         r"seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-[a-z]+)?")  # count words
# (name, pattern): each number group is named n1, n2, ... left to right; "stat" and "df" where printed.
PATTERNS = (
    ("statistic", re.compile(rf"\b(?P<stat>t|F|z|r|χ2|chi-square|W|U)\s*(?:\(\s*(?P<df>{_NUM})(?:\s*,\s*(?P<df2>{_NUM}))?"
                             rf"\s*\))?\s*=\s*(?P<n1>{_SIGN}(?:{_NUM}))")),
    ("estimate_ci", re.compile(rf"(?P<n1>{_SIGN}(?:{_NUM}))\s*\(\s*(?P<n2>{_SIGN}(?:{_NUM}))\s*(?:to|–|—|,)\s*"
                               rf"(?P<n3>{_SIGN}(?:{_NUM}))\s*\)")),
    ("p", re.compile(rf"\b[pP]\s*(?P<op>[=<>≤≥]|less than)\s*(?P<n1>{_NUM})")),
    ("age", re.compile(rf"(?P<n1>{_NUM})\s*years?,?\s*(?P<n2>{_NUM})\s*months?")),
    ("bound", re.compile(rf"(?P<op>(?:more|less|fewer|greater) than|at (?:least|most)|[<>≤≥])\s*(?P<n1>{_NUM})")),
    ("iqr", re.compile(rf"\bIQR[:,]?\s*(?P<n1>{_SIGN}(?:{_NUM}))\s*(?:to|–|—|-|,)\s*(?P<n2>{_SIGN}(?:{_NUM}))")),
    ("range", re.compile(rf"\bfrom\s+(?P<n1>{_SIGN}(?:{_NUM}))\s+to\s+(?P<n2>{_SIGN}(?:{_NUM}))")),
    ("ci", re.compile(rf"(?P<n1>{_SIGN}(?:{_NUM}))\s*(?:to|–|—|-|,)\s*(?P<n2>{_SIGN}(?:{_NUM}))(?=\s*\)?\s*$|[)\]])")),
    ("mean_sd", re.compile(rf"(?P<n1>{_SIGN}(?:{_NUM}))\s*(?:[±€]\s*(?P<n2>{_NUM})|\(\s*(?:SD\s*|[±€]\s*)?(?P<n3>{_NUM})\s*\))"
                           rf"(?!\s*%)")),
    ("n_percent", re.compile(rf"(?P<n1>{_NUM}|{_WORD})\s*(?:(?:of|out of|/)\s*(?P<n2>{_NUM}|{_WORD})\s*)?"
                             rf"(?:[A-Za-z-]+\s*)?\(\s*(?P<n3>{_NUM})\s*%\s*\)")),  # "7 of 9 patients (78%)"
    ("x_of_y", re.compile(rf"(?P<n1>{_NUM}|{_WORD})\s*(?:of|out of|/)\s*(?P<n2>{_NUM}|{_WORD})\b")),
    ("range", re.compile(rf"(?P<n1>{_SIGN}(?:{_NUM}))\s*[–—-]\s*(?P<n2>{_SIGN}(?:{_NUM}))")),
)
MIN_QUOTE = 16  # characters: a quote of a number alone ("12") is unique only by luck, and says nothing
_HEADING = re.compile(r"\b((?:Table|Fig\.?|Figure)\s*\d+)|^\s*(Abstract|Introduction|Background|Methods?|Patients and "
                      r"methods|Results?|Discussion|Conclusions?|References|Acknowledge?ments"
                      r"|[^\s。、]{1,12}[：:])", re.MULTILINE)


@dataclass(frozen=True)
class Proposal:
    """One proposed claim: the number it is for, and the TOML keys of the ``[[claim]]``."""

    occurrence: Occurrence
    id: str
    location: str
    quote: str
    reported: str
    analysis: str
    params: dict = field(default_factory=dict)
    part: int | None = None
    pattern: str = "number"

    def toml(self) -> str:
        lines = ["[[claim]]", f"id = {_s(self.id)}", f"location = {_s(self.location)}", f"quote = {_s(self.quote)}",
                 f"reported = {_s(self.reported)}"]
        if self.part is not None:
            lines.append(f"part = {self.part}")
        lines.append(f"analysis = {_s(self.analysis)}")
        lines.append(f"params = {_inline(self.params)}")
        if self.analysis == "not_recomputable":
            lines += ['expected = "not_recomputable"',
                      f'note = "DRAFT, awaiting audit: {self.pattern}; find the data or the statistic that checks it"']
        else:
            lines += ['expected = "unaudited"',
                      f'note = "DRAFT ({self.pattern}): run check, audit the verdict it prints as UNAUDITED, then set '
                      'expected to it and write the note"']
        return "\n".join(lines) + "\n"


def propose(text: str, targets, decimal_comma: bool = False, prefix: str = "draft") -> list:
    """A proposal for each occurrence in ``targets`` (occurrences of ``text``), in text order; a proposal may
    refer to the proposals of the numbers before it (a percentage to its count and denominator)."""
    source = Text(text)
    matches = {start: (name, m, k) for name, m, k, start in _matches(text)}
    out, ids = [], {}
    for o in sorted(targets, key=lambda o: o.start):
        out.append(_proposal(source, o, matches.get(o.start), f"{prefix}-{len(out) + 1}", ids))
        ids[o.start] = out[-1].id
    return out


def _matches(text: str) -> list:
    """Every (pattern name, match, number group, the number's start), a number taken by the first pattern
    that finds it."""
    found, taken = [], set()
    for name, pattern in PATTERNS:
        for m in pattern.finditer(text):
            for k in ("n1", "n2", "n3"):
                if k in pattern.groupindex and m.group(k) is not None and _at(m, k) not in taken:
                    taken.add(_at(m, k))
                    found.append((name, m, k, _at(m, k)))
    return found


def _at(m, k: str) -> int:
    """Where the number of group ``k`` starts, after its sign."""
    return m.start(k) + (1 if m.group(k)[0] in "−-\ufffd" else 0)


def _proposal(source: Text, o: Occurrence, found, pid: str, ids: dict) -> Proposal:
    location = _location(source.text, o.start)
    if found is None:
        signed = o.start > 0 and source.text[o.start - 1] in "−\ufffd"
        return Proposal(o, pid, location, _unique_quote(source, o.start - signed, o.end),
                        "−" * signed + o.text, "not_recomputable", {"reason": "source_lacks_data"})
    name, m, k = found
    start, end = m.span()
    quote = _unique_quote(source, start, end)
    numbers = [g for g in ("n1", "n2", "n3") if g in m.re.groupindex and m.group(g) is not None]
    part = numbers.index(k) + 1 if len(numbers) > 1 and name in ("mean_sd", "estimate_ci", "ci", "iqr", "range") else None
    reported = _printed(source.text[start:end]) if part or name in ("age", "bound") else o.text
    analysis, params = "not_recomputable", {"reason": "source_lacks_data"}
    if name == "p":
        op = m.group("op")
        reported = o.text if op == "=" else ("<" if op == "less than" else op) + o.text
        statistic = list(PATTERNS[0][1].finditer(source.text, max(0, start - 40), start))
        if statistic:
            sm = statistic[-1]
            test = {"χ2": "chi2", "chi-square": "chi2"}.get(sm.group("stat"), sm.group("stat"))
            if test in ("t", "F", "z", "r", "chi2") and _at(sm, "n1") in ids and (sm.group("df") or test == "z"):
                analysis, params = "p_from_statistic", {"statistic_claim": ids[_at(sm, "n1")], "test": test}
                for key in ("df", "df2"):
                    if sm.group(key):
                        params[key] = _number(sm.group(key))
    elif name == "statistic":
        reported = _printed(source.text[m.start("n1"):o.end])
    elif name == "n_percent" and k == "n3" and m.group("n2") is not None:
        if _at(m, "n1") in ids and _at(m, "n2") in ids:
            analysis = "percent"
            params = {"numerator": {"claim": ids[_at(m, "n1")]}, "total": {"claim": ids[_at(m, "n2")]}}
    try:
        rounding.parts(reported)
    except ValueError:  # a form the claims language does not read ("0.50 (SD 0.52)"): the number alone
        reported, part = o.text, None
    return Proposal(o, pid, location, quote, reported, analysis, params, part, name.replace("_", " "))


def _printed(text: str) -> str:
    """A printed value as a claim stores it: one line, with the extraction's stand-ins for ± and − undone."""
    return " ".join(text.replace("\u20ac", "±").replace("\ufffd", "−").split())


def _number(text: str):
    return int(text) if text.isdigit() else float(text)


def _unique_quote(source: Text, start: int, end: int) -> str:
    """The shortest stretch around ``text[start:end]``, grown a word at a time on both sides (on one side only
    while the other would cross a line break), that has at least :data:`MIN_QUOTE` characters (a reader finds
    it), occurs once in the source and cuts no word."""
    text = source.text
    for _ in range(60):
        while start > 0 and source.cuts_a_word(start, end) == "starts":
            start -= 1
        while end < len(text) and source.cuts_a_word(start, end) == "ends":
            end += 1
        quote = " ".join(text[start:end].split())
        if len(quote) >= MIN_QUOTE and len(source.find_all(quote)) == 1:
            return quote
        left = _step_left(text, start)
        right = _step_right(text, end)
        if left == start and right == end:
            return quote
        crosses_left, crosses_right = "\n" in text[left:start], "\n" in text[end:right]
        if crosses_left != crosses_right:  # grow within the line (a heading such as "Results:" starts the next)
            left, right = (start, right) if crosses_left else (left, end)
        start, end = left, right
    return " ".join(text[start:end].split())


def _step_left(text: str, start: int) -> int:
    i = start
    while i > 0 and text[i - 1].isspace():
        i -= 1
    if i > 0 and _cjk(text[i - 1]):
        return max(0, i - 2)
    while i > 0 and not text[i - 1].isspace():
        i -= 1
    return i


def _step_right(text: str, end: int) -> int:
    i = end
    while i < len(text) and text[i].isspace():
        i += 1
    if i < len(text) and _cjk(text[i]):
        return min(len(text), i + 2)
    while i < len(text) and not text[i].isspace():
        i += 1
    return i


def _cjk(ch: str) -> bool:
    return "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef"


def _location(text: str, position: int) -> str:
    heading = None
    for m in _HEADING.finditer(text, 0, position):
        heading = " ".join((m.group(1) or m.group(2)).split())
    line_start = text.rfind("\n", 0, position) + 1
    words = " ".join(text[line_start:position].split()[:4])
    where = heading or "Opening text"
    return f"{where}, line beginning {words!r}" if words else where


def _s(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _inline(params: dict) -> str:
    def value(v):
        if isinstance(v, dict):
            return _inline(v)
        if isinstance(v, str):
            return _s(v)
        return repr(v)

    return "{ " + ", ".join(f"{k} = {value(v)}" for k, v in params.items()) + " }" if params else "{}"


def recall(paper, coverage, text: str) -> dict:
    """How many of ``paper``'s claims a draft of the whole source would have proposed.

    Every number of the text is drafted as if nothing were claimed; a claim counts as found when a proposal
    is for the number it judges (same place in the source), reads as the same printed value (the same kind
    of value, such as a bound "<0.05", the same number and the same last printed digit) and has a quote at
    that place; and as matched in analysis when the proposal also names the claim's analysis.

    Returns
    -------
    dict
        ``claims`` (located claims judging a number), ``value_and_quote``, ``analysis`` and
        ``checked_analysis`` (the same analysis, other than ``not_recomputable``): counts.
    """
    proposals = {p.occurrence: p for p in propose(text, occurrences(text, paper.decimal_comma), paper.decimal_comma)}
    source = Text(text)
    by_claim = {}
    for a in coverage.accounts:
        if a.status == "claimed":
            for cid in a.by.split(", "):
                by_claim.setdefault(cid, a.occurrence)
    found = analysis = checked = 0
    for claim in paper.claims:
        o = by_claim.get(claim.id)
        if o is None:
            continue
        p = proposals.get(o)
        if p is None or claim.printed is None or not any(s <= o.start and o.end <= e for s, e in source.find_all(p.quote)):
            continue
        try:
            printed = rounding.parts(p.reported, paper.decimal_comma)[(p.part or 1) - 1]
        except (ValueError, IndexError):
            continue
        if (printed.kind, printed.value, printed.unit) != (claim.printed.kind, claim.printed.value, claim.printed.unit):
            continue
        found += 1
        analysis += p.analysis == claim.analysis
        checked += p.analysis == claim.analysis != "not_recomputable"
    return {"claims": len(by_claim), "value_and_quote": found, "analysis": analysis, "checked_analysis": checked}
