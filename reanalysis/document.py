"""The report as data: sections of paragraphs, lists, tables and figures.

:func:`reanalysis.report.build` makes it once from the engine's records; :mod:`reanalysis.render_html` and
:mod:`reanalysis.render_markdown` render it, so the two files carry the same claims and the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Run:
    """A stretch of text: ``style`` is "", "bold", "code", "quote" or "flag" (a decision error), and ``link``
    the id of a section, figure or claim of the report it points to ("" for none)."""

    text: str
    style: str = ""
    link: str = ""


@dataclass(frozen=True)
class Paragraph:
    runs: tuple
    role: str = ""  # "headline" (or "headline holds", no discrepancy): a paper's one-line verdict; "contents"


@dataclass(frozen=True)
class Bullets:
    """Items, each ``(runs, sub-items)``; a sub-item is a tuple of runs."""

    items: tuple


@dataclass(frozen=True)
class ClaimRow:
    """What a claim table's row is, for filters and links: its id (``paper/claim-id``) and the values a reader
    filters by."""

    id: str
    paper: str
    verdict: str
    strength: str
    decision_error: bool
    location: str


@dataclass(frozen=True)
class Table:
    """Rows of cells (each cell a tuple of runs) under ``columns``; the ``numeric`` columns sort as numbers.
    A claim table has one :class:`ClaimRow` per row and is shown collapsed."""

    id: str
    columns: tuple
    rows: tuple
    numeric: frozenset = frozenset()
    claims: tuple = ()
    summary: str = ""


@dataclass(frozen=True)
class Image:
    """A figure: its id in the report, its file relative to the project root, and a caption."""

    id: str
    path: str
    caption: str


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    blocks: tuple
    level: int = 2
    subtitle: str = ""


@dataclass(frozen=True)
class Report:
    title: str
    blocks: tuple
    sections: tuple


def text(*parts) -> tuple:
    """Runs from strings (plain) and :class:`Run` objects, in order."""
    return tuple(p if isinstance(p, Run) else Run(str(p)) for p in parts if p != "")


def walk(blocks):
    """Every block of ``blocks``, sections entered depth-first, in reading order."""
    for block in blocks:
        yield block
        if isinstance(block, Section):
            yield from walk(block.blocks)
