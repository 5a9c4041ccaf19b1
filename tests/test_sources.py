import os
from xml.sax.saxutils import escape

import pytest

from reanalysis import sources
from reanalysis.claims import load_claims
from reanalysis.cli import main
from reanalysis.errors import ClaimError
from tests.conftest import DATASETS


def test_search_path_prefers_the_option_then_the_environment_then_shared_seeds(tmp_path):
    env = {sources.ENVIRONMENT: f"/a{os.pathsep}{os.pathsep}/b"}
    assert sources.search_path(tmp_path, "/x", env) == (sources.Path("/x"),)
    assert sources.search_path(tmp_path, None, env) == (sources.Path("/a"), sources.Path("/b"))
    assert sources.search_path(tmp_path, None, {}) == (tmp_path / ".." / "shared" / "seeds", tmp_path / ".sources")


def test_an_xml_source_is_read_as_its_text(tmp_path):
    article = tmp_path / "a.xml"
    article.write_text('<article><p>Women <italic>n</italic> = 12 (80%)</p><td>9 (60%)</td></article>', encoding="utf-8")
    assert sources.normalise(sources.read(article)) == "Womenn=12(80%)9(60%)"
    (tmp_path / "b.xml").write_text("<article><p>unclosed</article>", encoding="utf-8")
    with pytest.raises(ValueError, match="b.xml: cannot be read as XML"):
        sources.read(tmp_path / "b.xml")
    (tmp_path / "c.txt").write_bytes(b"caf\xe9")
    with pytest.raises(ValueError, match="c.txt: cannot be read as UTF-8 text"):
        sources.read(tmp_path / "c.txt")


def test_find_takes_the_first_folder_holding_the_file(tmp_path):
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    (tmp_path / "two" / "paper.txt").write_text("x")
    (tmp_path / "one" / "paper.txt").mkdir()  # a folder of that name is not the text
    assert sources.find("paper.txt", [tmp_path / "one", tmp_path / "two"]) == tmp_path / "two" / "paper.txt"
    assert sources.find("other.txt", [tmp_path / "one", tmp_path / "two"]) is None


def test_normalise_ignores_whitespace_and_reads_the_extraction_artefacts():
    assert sources.normalise("2.4 \u20ac 1.1,\n \ufffd0.5") == "2.4\u00b11.1,\u22120.5"


PAPER = load_claims(DATASETS / "ohtomo2005" / "claims.toml")


def _own_source(paper) -> str:
    """A source text made of the paper's own quotes, each once: every quote occurs in it by construction (an XML
    article when the paper's source is one). Quotes that overlap in the paper are laid out as one stretch: each
    quote is added unless the text so far already holds it."""
    text = ""
    for quote in sorted({c.quote for c in paper.claims}, key=len, reverse=True):
        if sources.normalise(quote) not in sources.normalise(text):
            text += quote + "\n"
    return f"<article>{escape(text)}</article>" if paper.source.endswith(".xml") else text


def test_check_quotes_names_the_first_claim_whose_quote_is_not_in_the_source():
    text = _own_source(PAPER)
    sources.check_quotes(PAPER, text)
    quote = max((c.quote for c in PAPER.claims), key=len)
    broken = text.replace(quote, quote[:-2] + "!?")
    first = next(c for c in PAPER.claims if sources.normalise(c.quote) not in sources.normalise(broken))
    with pytest.raises(ClaimError, match=f"claim '{first.id}': quote .* does not occur in the source "
                                         f"{PAPER.source}"):
        sources.check_quotes(PAPER, broken)


def test_check_quotes_refuses_a_quote_that_occurs_twice():
    text = _own_source(PAPER)
    claim = PAPER.claims[0]
    with pytest.raises(ClaimError, match=f"claim '{claim.id}': quote .* occurs more than once in the source"):
        sources.check_quotes(PAPER, text + "\n" + claim.quote)


def test_check_reads_quotes_from_the_sources_option_and_refuses_a_quote_not_in_it(project, tmp_path, capsys):
    texts = tmp_path / "texts"
    texts.mkdir()
    for folder in sorted((project / "datasets").iterdir()):
        paper = load_claims(folder / "claims.toml")
        (texts / paper.source).write_text(_own_source(paper), encoding="utf-8")
    assert main(["--root", str(project), "--sources", str(texts), "check"]) == 0, capsys.readouterr().err
    assert "not checked" not in capsys.readouterr().err
    (texts / PAPER.source).write_text(_own_source(PAPER).replace("We report 9 adolescent patients", "We report 9"),
                                      encoding="utf-8")
    assert main(["--root", str(project), "--sources", str(texts), "check"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("reanalysis: error: ") and "claim 'abstract-n-patients': quote" in err


def test_check_notes_each_paper_whose_source_is_not_found(project, capsys, monkeypatch):
    monkeypatch.delenv(sources.ENVIRONMENT, raising=False)
    assert main(["--root", str(project), "check"]) == 0
    err = capsys.readouterr().err
    assert f"reanalysis: note: quotes of ohtomo2005 not checked: {PAPER.source} is not in " in err
    assert err.count("not checked") == len(list((project / "datasets").iterdir()))
