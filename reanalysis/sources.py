"""Find a paper's source text and check that every claim's quote occurs in it.

The source texts are not shipped: ``[paper] source`` names a file, looked up in a search path of
folders. The path is, first found, the ``--sources`` option, the environment variable
``REANALYSIS_SOURCES`` (both folders separated by ``os.pathsep``, as ``PATH``) or
``../shared/seeds`` beside the project folder, then ``.sources`` in it (where ``make sources``
downloads the open-access texts that a package index publishes). A user keeps their own paper's text
anywhere outside the repository and points the search path at it.

A source is plain UTF-8 text, or an article's XML as journals publish it (JATS, the format of PubMed
Central and PLOS; any ``.xml``), whose text is read with the markup dropped.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from xml.etree import ElementTree

from reanalysis.errors import ClaimError, locate
from reanalysis.files import read_bytes

ENVIRONMENT = "REANALYSIS_SOURCES"
DEFAULT = (Path("..") / "shared" / "seeds", Path(".sources"))


def search_path(root: Path, option: str | None = None, environ=os.environ) -> tuple:
    """The folders searched for source texts, in order: ``option``, then ``$REANALYSIS_SOURCES``,
    then ``root/../shared/seeds`` and ``root/.sources``; empty entries are skipped."""
    for text in (option, environ.get(ENVIRONMENT)):
        if text:
            return tuple(Path(p) for p in text.split(os.pathsep) if p)
    return tuple(Path(root) / d for d in DEFAULT)


def find(name: str, folders) -> Path | None:
    """The first ``folder / name`` that is a file, or None."""
    return next((Path(f) / name for f in folders if (Path(f) / name).is_file()), None)


def read(path: Path) -> str:
    """A source's text: the file as UTF-8, or the text of an XML article with its markup dropped.

    Raises
    ------
    ValueError
        When the file is not UTF-8 or not well-formed XML.
    """
    path = Path(path)
    data = read_bytes(path, "a source text", ValueError)
    try:
        if path.suffix.lower() == ".xml":
            return " ".join(ElementTree.fromstring(data).itertext())
        return data.decode("utf-8")
    except (UnicodeDecodeError, ElementTree.ParseError) as e:
        raise ValueError(f"{path}: cannot be read as {'XML' if path.suffix.lower() == '.xml' else 'UTF-8 text'} "
                         f"({e})") from None


def text_of(paper, folders) -> str | None:
    """The source text of ``paper`` (a :class:`~reanalysis.claims.PaperClaims`) from the search path ``folders``,
    or None when it is not there.

    Raises
    ------
    ClaimError
        When the file is there but cannot be read.
    """
    path = find(paper.source, folders)
    if path is None:
        return None
    try:
        return read(path)
    except (OSError, ValueError) as e:
        raise ClaimError(f"source text of {paper.paper}: {e}") from None


def normalise(text: str) -> str:
    """Text compared without whitespace. The seeds' extraction prints '±' as '€' and a minus sign as
    U+FFFD (see ``../shared/seeds/README.md``): both are read as what they stand for."""
    return re.sub(r"\s+", "", text.replace("\u20ac", "\u00b1").replace("\ufffd", "\u2212"))


def check_quotes(paper, text: str) -> None:
    """Every quote of ``paper`` (a :class:`~reanalysis.claims.PaperClaims`) must occur in ``text``, once.

    Raises
    ------
    ClaimError
        Naming the first claim whose quote is not in the source.
    """
    body = normalise(text)
    for claim in paper.claims:
        needle = normalise(claim.quote)
        first = body.find(needle)
        if first < 0:
            raise ClaimError(f"{locate(paper.path, claim=claim.id)}: quote {claim.quote!r} does not occur in the "
                             f"source {paper.source}")
        if body.find(needle, first + 1) >= 0:
            raise ClaimError(f"{locate(paper.path, claim=claim.id)}: quote {claim.quote!r} occurs more than once in "
                             f"the source {paper.source}; lengthen it until it points at one place")
