import re
import tomllib

import pytest

from reanalysis import cli
from reanalysis.coverage import Text, occurrences
from reanalysis.draft import MIN_QUOTE, propose, recall
from tests.conftest import ROOT

TEXT = ("Results\nSeven of 9 patients (78%) remitted. The mean age was 12.0 (2.1) years, range 8–15, "
        "and the relapse rate fell from 2.33 ± 0.71 to 1.11 ± 0.78 (t(8) = 4.20, p = 0.003). "
        "Table 2\nCreatinine 0.72 (0.4) 0.70 (0.2)\nThe odds ratio was 3.9 (1.4 to 11.0), p < 0.05.")


@pytest.fixture(scope="module")
def proposals():
    return {p.occurrence.text + "@" + str(p.occurrence.start): p for p in propose(TEXT, occurrences(TEXT))}


def _find(proposals, text):
    return next(p for key, p in proposals.items() if key.startswith(text + "@"))


@pytest.mark.parametrize("number, reported, part, pattern", [
    ("78", "78", None, "n percent"),
    ("12.0", "12.0 (2.1)", 1, "mean sd"),
    ("2.1", "12.0 (2.1)", 2, "mean sd"),
    ("15", "8–15", 2, "range"),
    ("0.71", "2.33 ± 0.71", 2, "mean sd"),
    ("4.20", "4.20", None, "statistic"),
    ("0.003", "0.003", None, "p"),
    ("11.0", "3.9 (1.4 to 11.0)", 3, "estimate ci"),
    ("0.05", "<0.05", None, "p"),
])
def test_common_patterns_give_the_printed_value_and_part(proposals, number, reported, part, pattern):
    p = _find(proposals, number)
    assert (p.reported, p.part, p.pattern) == (reported, part, pattern)


def test_a_p_value_after_its_statistic_is_checked_from_it(proposals):
    p, t = _find(proposals, "0.003"), _find(proposals, "4.20")
    assert (p.analysis, p.params) == ("p_from_statistic", {"statistic_claim": t.id, "test": "t", "df": 8})
    assert 'expected = "unaudited"' in p.toml() and 'note = "DRAFT' in p.toml()


def test_a_percentage_with_its_count_and_denominator_is_checked_from_them():
    text = "Overall 7 of 9 (78%) remitted, and 3 of 12 (25%) relapsed."
    by_text = {p.occurrence.text: p for p in propose(text, occurrences(text))}
    assert by_text["78"].analysis == "percent"
    assert by_text["78"].params == {"numerator": {"claim": by_text["7"].id}, "total": {"claim": by_text["9"].id}}


def test_everything_else_is_a_placeholder_awaiting_audit(proposals):
    p = _find(proposals, "Seven")
    assert p.analysis == "not_recomputable" and "DRAFT, awaiting audit" in p.toml()


def test_quotes_are_unique_verbatim_and_long_enough(proposals):
    source = Text(TEXT)
    for p in proposals.values():
        places = source.find_all(p.quote)
        assert len(places) == 1 and len(p.quote) >= MIN_QUOTE, p
        (start, end), = places
        assert start <= p.occurrence.start and p.occurrence.end <= end and source.cuts_a_word(start, end) is None


def test_locations_name_the_heading_and_the_row(proposals):
    assert _find(proposals, "0.72").location == "Table 2, line beginning 'Creatinine'"
    assert _find(proposals, "Seven").location == "Results"


def test_proposals_are_valid_claims_toml(proposals):
    text = "\n".join(p.toml() for p in proposals.values())
    claims = tomllib.loads(text)["claim"]
    assert len(claims) == len(proposals) and len({c["id"] for c in claims}) == len(claims)


def test_draft_command_prints_proposals_for_a_text_file(tmp_path, capsys):
    path = tmp_path / "paper.txt"
    path.write_text(TEXT, encoding="utf-8")
    assert cli.main(["--root", str(ROOT), "draft", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"# Draft claims for the {len(occurrences(TEXT))} numbers of {path}")
    assert len(tomllib.loads(out)["claim"]) == len(occurrences(TEXT))


def test_draft_command_names_what_it_cannot_read(tmp_path, capsys):
    assert cli.main(["--root", str(tmp_path), "draft", "nothing-here"]) == 2
    assert capsys.readouterr().err.startswith("reanalysis: error: draft: 'nothing-here' is neither a paper")


def test_recall_on_the_example_paper():
    """Measured on every paper for the README; here on the example, whose every number is accounted for."""
    from reanalysis.claims import load_claims
    from reanalysis.coverage import paper_coverage

    folder = ROOT / "docs" / "example"
    cov = paper_coverage(folder, (folder,))
    r = recall(load_claims(folder / "claims.toml"), cov, (folder / "source.txt").read_text(encoding="utf-8"))
    assert r["claims"] == 44 and r["value_and_quote"] == 44


def test_the_readme_states_drafts_recall_on_the_sources():
    from reanalysis import sources
    from reanalysis.claims import load_claims
    from reanalysis.coverage import paper_coverage
    from reanalysis.engine import paper_folders
    from tests.conftest import DATASETS, SOURCES

    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    five = re.search(r"\(96%; ([^)]*)\)", readme).group(1)  # "amjnephrol2012 12/12, jcr2011 195/195, ..."
    names = set(re.findall(r"([a-z0-9-]+) \d+/\d+", five))
    assert len(names) == 5
    total = {"claims": 0, "value_and_quote": 0, "analysis": 0}
    for folder in (f for f in paper_folders(DATASETS) if f.name in names):
        cov = paper_coverage(folder, SOURCES)
        if cov is None:
            pytest.skip(f"source of {folder.name} not on the search path")
        paper = load_claims(folder / "claims.toml")
        r = recall(paper, cov, sources.read(sources.find(paper.source, SOURCES)))
        assert f"{folder.name} {r['value_and_quote']}/{r['claims']}" in readme
        for key in total:
            total[key] += r[key]
    assert (f"of the {total['claims']} claims of the five sources that judge a printed number, draft proposes the "
            f"same printed value with a quote at the same place for {total['value_and_quote']}") in readme
    assert f"the same analysis for {total['analysis']} (" in readme


def test_a_quote_grows_within_its_line_before_crossing_into_the_next():
    text = "Methods: 42 patients were enrolled (n = 21).\nResults: 9 relapsed."
    quotes = {p.occurrence.text: p.quote for p in propose(text, occurrences(text))}
    assert quotes["21"] == "enrolled (n = 21)." and "Results" not in quotes["21"]
    assert quotes["9"] == "Results: 9 relapsed."
