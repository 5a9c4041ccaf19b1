"""Account for every number a source prints: claimed, excluded for a stated reason, or unaccounted.

A source's numbers are found by :func:`occurrences`: runs of digits (ASCII or full-width) with their
decimals and thousands separators, English count words ("Seven", "twenty-one") and Chinese or Japanese
numerals followed by a counter (三例, 两组). A count word that prefixes a term ("one-sample", "two-sided")
names a method, not a count, and is not a number. A sign, a percent sign or a range dash is not part of the
number: "−2.46", "45%" and "22–95" print the numbers 2.46, 45, and 22 and 95.

Claims are located by position. A claim's quote is found, whitespace ignored as the quote check
ignores it, at exactly one place in the source, and starts and ends on a word boundary. The number the
claim judges (its printed value, or the ``part`` it names) is the first occurrence in that place whose
digits equal it, preferring one inside the claim's whole printed value as the quote prints it ("7%" rather
than the 7 of "2–7"), and one not already taken by an earlier claim if there is one.

An exclusion in ``datasets/<paper>/exclusions.toml`` accounts for every number inside each place its
``quote`` occurs, or inside each passage from its ``start`` quote to the end of the first ``end`` quote after
it (a passage may not run past the next place its start occurs), for a
reason from :data:`REASONS`. The reason ``transcribed`` needs a ``table``: the passage is a table the
dataset holds, and each of its numbers must also be printed, with the same digits, in one of that CSV's
cells. A number inside
several exclusions takes the reason of the shortest. A claimed number may lie inside a ``transcribed``
passage (a table's cell that a claim also judges), but inside no other exclusion: a passage excluded as a
protocol or a label that holds a result is too wide.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from reanalysis.claims import PaperClaims
from reanalysis.errors import ClaimError
from reanalysis.files import read_bytes
from reanalysis.sources import normalise

# Why a printed number needs no claim: the fixed list an exclusion chooses from.
REASONS = {
    "reference": "a reference or citation number",
    "bibliographic": "journal, volume, year of publication, DOI, page or identifier of a document",
    "date": "a date",
    "protocol": "a protocol parameter: a dose, schedule, threshold or criterion chosen before the results",
    "literature": "a value reported by other studies",
    "duplicate": "a passage printed twice (a page header, a second copy of a text)",
    "label": "a table, figure, patient, group or item label",
    "heading": "heading or list numbering",
    "unit": "part of a unit (the 2 in m2, the 10 in x10^9/L)",
    "transcribed": "a cell of a table the dataset transcribes (its CSV prints the same number)",
}
STATUSES = ("claimed", "excluded", "unaccounted")

_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen".split())}
_WORDS.update({w: 10 * i for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)})
_WORDS.update({"hundred": 100, "thousand": 1000, "million": 10 ** 6})
_KANJI = dict(zip("〇零一二两三四五六七八九十百千万", (0, 0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9, 10, 100, 1000, 10000)))
_COUNTERS = "例名人件回年月日週倍群剤歳才種項个位项次组例篇"
_DIGIT = "0-9\uff10-\uff19"
_NUMBER = re.compile(
    rf"(?<![{_DIGIT}.])(?:[{_DIGIT}]{{1,3}}(?:,[{_DIGIT}]{{3}})+(?![{_DIGIT}])|[{_DIGIT}]+)(?:\.[{_DIGIT}]+)?"
    rf"|(?<![{_DIGIT}])\.[{_DIGIT}]+"
    rf"|\b(?:{'|'.join(sorted(_WORDS, key=len, reverse=True))})(?:-(?:{'|'.join(_WORDS)}))?\b(?!-[a-z])"
    rf"|[{''.join(_KANJI)}]+(?=[{_COUNTERS}])", re.IGNORECASE)
_COMMA_NUMBER = re.compile(rf"(?<![{_DIGIT},])[{_DIGIT}]+(?:,[{_DIGIT}]+)?"
                           rf"|\b(?:{'|'.join(sorted(_WORDS, key=len, reverse=True))})\b", re.IGNORECASE)
_FULLWIDTH = str.maketrans("\uff10\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19", "0123456789")


@dataclass(frozen=True)
class Occurrence:
    """One printed number: where it is in the source text, as printed, and its digits (ASCII, no
    thousands separators, a count word as digits), which is what a claim's printed value is matched by."""

    start: int
    end: int
    text: str
    digits: str


@dataclass(frozen=True)
class Exclusion:
    """A place printed numbers need no claim, and why (a key of :data:`REASONS`)."""

    reason: str
    quote: str | None = None
    start: str | None = None
    end: str | None = None
    table: str | None = None
    note: str = ""

    @property
    def label(self) -> str:
        return repr(self.quote) if self.quote is not None else f"{self.start!r} ... {self.end!r}"


@dataclass(frozen=True)
class Account:
    """What accounts for one occurrence: ``claimed`` (``by`` the claim ids), ``excluded`` (``by`` the reason)
    or ``unaccounted`` (``by`` says what was missing)."""

    occurrence: Occurrence
    status: str
    by: str
    context: str


@dataclass(frozen=True)
class Coverage:
    """A paper's accounts, and the problems that stop it being whole: a claim whose quote is not at one place
    on word boundaries, or whose printed number is not in it; an exclusion that excludes nothing."""

    paper: str
    source: str
    accounts: tuple
    problems: tuple

    def count(self, status: str) -> int:
        return sum(a.status == status for a in self.accounts)

    def reasons(self) -> dict:
        out = {}
        for a in self.accounts:
            if a.status == "excluded":
                out[a.by] = out.get(a.by, 0) + 1
        return dict(sorted(out.items()))


def occurrences(text: str, decimal_comma: bool = False) -> list:
    """Every printed number of ``text``, in order.

    Examples
    --------
    >>> [o.digits for o in occurrences("Seven of 5,933,845 (45%), aged 22–95, p = .03; ２例")]
    ['7', '5933845', '45', '22', '95', '.03', '2']
    """
    out = []
    for m in (_COMMA_NUMBER if decimal_comma else _NUMBER).finditer(text):
        raw = m.group()
        out.append(Occurrence(m.start(), m.end(), raw, _digits(raw, decimal_comma)))
    return out


def _digits(raw: str, decimal_comma: bool = False) -> str:
    word = raw.lower()
    if all(p in _WORDS for p in word.split("-")):
        return str(sum(_WORDS[p] for p in word.split("-")))
    if raw[0] in _KANJI:
        return str(_kanji(raw))
    ascii_digits = raw.translate(_FULLWIDTH)
    return ascii_digits.replace(",", ".") if decimal_comma else ascii_digits.replace(",", "")


def _kanji(raw: str) -> int:
    """十二 is 12, 二十 is 20, 三百五 is 305: digits multiply the unit after them and the terms add."""
    total, digit = 0, None
    for ch in raw:
        value = _KANJI[ch]
        if value >= 10:
            total += (1 if digit is None else digit) * value
            digit = None
        else:
            digit = value if digit is None else digit * 10 + value
    return total + (digit or 0)


class Text:
    """A source text and its whitespace-free form, with the position in the text of each kept character, so
    that a quote found in the normalised form (as :func:`~reanalysis.sources.check_quotes` finds it) has a
    place in the text."""

    def __init__(self, text: str):
        self.text = text
        kept = [(i, ch) for i, ch in enumerate(text) if not ch.isspace()]
        self.at = [i for i, _ in kept]
        self.body = normalise("".join(ch for _, ch in kept))
        assert len(self.body) == len(self.at), "normalise() must map one kept character to one"

    def find_all(self, quote: str) -> list:
        """Every place ``quote`` occurs, as ``(start, end)`` positions in the text."""
        needle = normalise(quote)
        if not needle:
            return []
        places, i = [], self.body.find(needle)
        while i >= 0:
            places.append((self.at[i], self.at[i + len(needle) - 1] + 1))
            i = self.body.find(needle, i + 1)
        return places

    def cuts_a_word(self, start: int, end: int) -> str | None:
        """Which end of ``text[start:end]`` falls inside a word or number, or None."""
        for side, inner, outer in (("starts", start, start - 1), ("ends", end - 1, end)):
            if 0 <= outer < len(self.text) and _script(self.text[inner]) and \
                    _script(self.text[inner]) == _script(self.text[outer]):
                return side
        return None

    def context(self, start: int, end: int, width: int = 40) -> str:
        before = " ".join(self.text[max(0, start - width):start].split())
        after = " ".join(self.text[end:end + width].split())
        return f"{before}[{self.text[start:end]}]{after}"


def _script(ch: str) -> str | None:
    """The kind of word character ``ch`` is: two neighbours of one kind are one word (a quote may not cut it)."""
    if ch.isdigit() or ch in ".,":
        return "number" if ch.isdigit() else None
    if "\u3040" <= ch <= "\u309f":
        return None  # particles and endings: hiragana next to hiragana is no sign of one word
    if "\u30a0" <= ch <= "\u30ff":
        return "katakana"
    if "\u4e00" <= ch <= "\u9fff":
        return "han"
    if ch.isalpha():
        return "latin"
    return None


def load_exclusions(path: Path, tables: tuple = ()) -> tuple:
    """The ``[[exclusion]]`` entries of ``path`` (none when the file does not exist).

    Raises
    ------
    ClaimError
        One line naming the entry and key, for a malformed file, an unknown key or reason, a passage given
        both as ``quote`` and as ``start``/``end``, or a ``table`` that is missing or not one of ``tables``.
    """
    path = Path(path)
    if not path.exists():
        return ()
    try:
        doc = tomllib.loads(read_bytes(path, "the paper's exclusions.toml", ClaimError, inside=path.parent)
                            .decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise ClaimError(f"{path}: not valid TOML in UTF-8 ({e})") from None
    if set(doc) - {"exclusion"}:
        raise ClaimError(f"{path}: unknown key {sorted(set(doc) - {'exclusion'})[0]!r}; the file holds [[exclusion]] "
                         "entries only")
    if not isinstance(doc.get("exclusion", []), list):
        raise ClaimError(f"{path}: 'exclusion' must be an array of tables, written [[exclusion]]")
    out = []
    for i, entry in enumerate(doc.get("exclusion", []), start=1):
        where = f"{path}, exclusion {i}"
        if not isinstance(entry, dict):
            raise ClaimError(f"{where}: each [[exclusion]] must be a table")
        unknown = sorted(set(entry) - {"reason", "quote", "start", "end", "table", "note"})
        if unknown:
            raise ClaimError(f"{where}: unknown key {unknown[0]!r}; allowed: end, note, quote, reason, start, table")
        for key, value in entry.items():
            if not isinstance(value, str) or not value.strip():
                raise ClaimError(f"{where}, key {key!r}: expected a non-empty string, got {value!r}")
        if entry.get("reason") not in REASONS:
            raise ClaimError(f"{where}, key 'reason': {entry.get('reason')!r} is not one of {', '.join(REASONS)}")
        if ("quote" in entry) == ("start" in entry or "end" in entry) or ("start" in entry) != ("end" in entry):
            raise ClaimError(f"{where}: give either 'quote', or 'start' and 'end' for a passage")
        if (entry["reason"] == "transcribed") != ("table" in entry):
            raise ClaimError(f"{where}: 'table' names the transcribed table, and is given exactly when the reason "
                             "is 'transcribed'")
        if "table" in entry and entry["table"] not in tables:
            raise ClaimError(f"{where}, key 'table': no table {entry['table']!r}; the datapackage has "
                             f"{', '.join(tables)}")
        out.append(Exclusion(**entry))
    return tuple(out)


def account(paper: PaperClaims, exclusions: tuple, text: str, cells: dict | None = None) -> Coverage:
    """Classify every number of ``text`` for ``paper``.

    Parameters
    ----------
    paper : PaperClaims
    exclusions : tuple of Exclusion
    text : str
        The source text (as :func:`reanalysis.sources.read` gives it).
    cells : dict, optional
        Table name -> the set of digits printed in its CSV's cells, for ``transcribed`` exclusions.
    """
    source = Text(text)
    found = occurrences(text, paper.decimal_comma)
    problems, claimed = [], {}
    for claim in paper.claims:
        places = source.find_all(claim.quote)
        if len(places) != 1:
            if places:  # not found at all is the quote check's error, raised before coverage runs
                problems.append(f"claim {claim.id!r}: quote {claim.quote!r} occurs {len(places)} times; lengthen it "
                                "until it occurs once")
            continue
        start, end = places[0]
        cut = source.cuts_a_word(start, end)
        if cut:
            problems.append(f"claim {claim.id!r}: quote {claim.quote!r} {cut} inside a word or number "
                            f"({source.context(start, end, 8)}); make it start and end on word boundaries")
        inside = [o for o in found if start <= o.start and o.end <= end]
        forms = [(s, t) for s, t in source.find_all(claim.reported) if start <= s and t <= end]
        for digits in _judged(claim):
            matches = [o for o in inside if o.digits == digits]
            # where the quote prints the claim's whole printed value ("7%", not the 7 of "2–7"), there first
            matches = [o for o in matches if any(s <= o.start and o.end <= t for s, t in forms)] or matches
            if not matches:
                problems.append(f"claim {claim.id!r}: its printed number {digits} is not in its quote {claim.quote!r}")
                continue
            chosen = next((o for o in matches if o not in claimed), matches[0])
            claimed.setdefault(chosen, []).append(claim.id)
    spans = []
    for e in exclusions:
        places = _passages(source, e)
        starts = [a for a, _ in source.find_all(e.start)] if e.start is not None else []
        if any(a < b < t for a, t in places for b in starts):  # one passage swallowing the next: an end too far
            problems.append(f"exclusion {e.label}: a passage runs past the next place its start occurs; give an end "
                            "that each start reaches first")
        if not places:
            problems.append(f"exclusion {e.label}: not found in the source")
        excluded_here = [o for o in found if any(s <= o.start and o.end <= t for s, t in places)]
        if places and not excluded_here:
            problems.append(f"exclusion {e.label}: prints no number, so it excludes nothing")
        spans.extend((t - s, s, t, e) for s, t in places)
    spans.sort(key=lambda x: x[0])
    accounts = []
    for o in found:
        context = source.context(o.start, o.end)
        if o in claimed:
            accounts.append(Account(o, "claimed", ", ".join(claimed[o]), context))
            wrong = next((e for _, s, t, e in spans if s <= o.start and o.end <= t and e.reason != "transcribed"), None)
            if wrong is not None:  # a result inside a passage excluded as something else: the passage is too wide
                problems.append(f"exclusion {wrong.label}: covers {o.text!r}, which claim {claimed[o][0]!r} judges "
                                f"({context}); narrow it to the numbers that are {wrong.reason}")
            continue
        e = next((e for _, s, t, e in spans if s <= o.start and o.end <= t), None)
        if e is None:
            accounts.append(Account(o, "unaccounted", "no claim or exclusion", context))
        elif e.reason == "transcribed" and _form(text, o) not in (cells or {}).get(e.table, set()):
            accounts.append(Account(o, "unaccounted", f"in the passage of table {e.table!r}, but no cell of its CSV "
                                    f"prints {_form(text, o)}", context))
        else:
            accounts.append(Account(o, "excluded", e.reason, context))
    return Coverage(paper.paper, paper.source, tuple(accounts), tuple(problems))


def _judged(claim) -> list:
    """The digits of the numbers a claim judges: the ``part`` it names, else every number of its printed value."""
    numbers = [o.digits for o in occurrences(claim.reported)]
    if claim.part is not None and len(numbers) > 1:
        return numbers[claim.part - 1:claim.part]
    return numbers


def _passages(source: Text, e: Exclusion) -> list:
    if e.quote is not None:
        return source.find_all(e.quote)
    places = []
    for s, _ in source.find_all(e.start):
        ends = [t for u, t in source.find_all(e.end) if u >= s]
        if ends:
            places.append((s, min(ends)))
    return places


def table_cells(dataset) -> dict:
    """Table name -> the numbers printed in its CSV cells, as the CSV prints them, for ``transcribed``
    exclusions: a source's "1.00" is not a cell's "1". A number inside a text cell keeps the percent sign that
    follows it (a printed 7% is not the 7 of "2–7 months"); a typed numeric cell (a count) is never a printed
    percentage, while a text cell that holds one number alone, as printed, may be (a column of mean percent
    changes kept as text)."""
    out = {}
    for name, table in dataset.tables.items():
        forms = set()
        for column in table.frame.columns:
            if column in table.exact:  # a typed number: a count or measure, never a percentage unless printed so
                forms.update(o.digits for cell in table.exact.cells(column) for o in occurrences(cell))
                continue
            for cell in (c for c in table.frame[column] if isinstance(c, str)):
                found = occurrences(cell)
                if len(found) == 1 and found[0].text == cell.strip().lstrip("+-\u2212"):  # a number kept as text
                    forms.update((found[0].digits, found[0].digits + "%"))
                else:
                    forms.update(_form(cell, o) for o in found)
        out[name] = forms
    return out


def _form(text: str, o: Occurrence) -> str:
    """An occurrence's digits, with the percent sign that follows it: a printed 7% is no cell's 7 months."""
    return o.digits + ("%" if text[o.end:o.end + 2].lstrip().startswith("%") else "")


def paper_coverage(folder: Path, folders) -> Coverage | None:
    """The coverage of the paper in ``folder`` against its source, found on the search path ``folders``;
    None when the source is not there. The paper is validated first, its quotes checked against the text."""
    from reanalysis import sources
    from reanalysis.engine import load_paper

    dataset, paper = load_paper(folder)
    text = sources.text_of(paper, folders)
    if text is None:
        return None
    sources.check_quotes(paper, text)
    exclusions = load_exclusions(Path(folder) / "exclusions.toml", tuple(dataset.tables))
    return account(paper, exclusions, text, table_cells(dataset))
