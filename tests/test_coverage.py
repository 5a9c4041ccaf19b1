import dataclasses
import re
import shutil

import pytest

from reanalysis import cli
from reanalysis.claims import load_claims
from reanalysis.coverage import Exclusion, Text, account, load_exclusions, occurrences, paper_coverage
from reanalysis.engine import paper_folders
from reanalysis.errors import ClaimError
from tests.conftest import DATASETS, ROOT, SOURCES


@pytest.mark.parametrize("text, digits", [
    ("aged 22–95 years", ["22", "95"]),
    ("p = .03 and p=0.016", [".03", "0.016"]),
    ("5,933,845 records; 1,5 and 2", ["5933845", "1", "5", "2"]),
    ("−2.46 (€0.71), 45%", ["2.46", "0.71", "45"]),
    ("Seven of nine, twenty-one in all", ["7", "9", "21"]),
    ("a one-sample t-test, two-sided", []),
    ("全４要件、１６８日", ["4", "168"]),
    ("14 例患者中,3 例因", ["14", "3"]),
    ("三例 十二例 两组 二十名; 一般 二重盲検", ["3", "12", "2", "20"]),
    ("mg/m2 and 10^9/L", ["2", "10", "9"]),
])
def test_occurrences_find_each_printed_number(text, digits):
    assert [o.digits for o in occurrences(text)] == digits


def test_occurrences_read_decimal_commas_where_the_paper_declares_them():
    assert [o.digits for o in occurrences("0,5 mg, 12 mg", decimal_comma=True)] == ["0.5", "12"]


def test_occurrence_positions_are_in_the_text():
    text = "before 12.5 after"
    (o,) = occurrences(text)
    assert text[o.start:o.end] == "12.5" == o.text


def test_quotes_are_found_whitespace_insensitively_at_text_positions():
    source = Text("Nine  patients\nwere treated; nine patients relapsed.")
    assert source.find_all("patients were") == [(6, 19)]
    assert len(source.find_all("patients")) == 2


@pytest.mark.parametrize("text, quote, cut", [
    ("再燃は各 15%、11%であった", "燃は各 15%", "starts"),
    ("再燃は各 15%、11%であった", "再燃は各 15%", None),
    ("再燃は各 15%、11%であった", "は各 15%", None),  # a particle after a kanji word is a boundary
    ("the patients relapsed", "atients relapsed", "starts"),
    ("p = 0.016 overall", "p = 0.01", "ends"),
    ("p = 0.016 overall", "p = 0.016", None),
])
def test_a_quote_must_start_and_end_on_word_boundaries(text, quote, cut):
    source = Text(text)
    (start, end), = source.find_all(quote)
    assert source.cuts_a_word(start, end) == cut


def _paper(tmp_path, claims: str):
    path = tmp_path / "claims.toml"
    path.write_text('[paper]\nid = "p"\nsource = "s.txt"\n' + claims, encoding="utf-8")
    return load_claims(path)


def _claim(cid, quote, reported, extra=""):
    return (f'[[claim]]\nid = "{cid}"\nlocation = "L"\nquote = "{quote}"\nreported = "{reported}"\n'
            f'analysis = "not_recomputable"\nparams = {{ reason = "source_lacks_data" }}\nexpected = "not_recomputable"\n'
            f'note = "n"\n{extra}')


TEXT = "Seven of 9 patients remitted (78%). Mean 2.33 ± 0.71. See ref 12. Seven of 9 again in 2005 (12)."


def test_each_number_is_claimed_excluded_or_unaccounted(tmp_path):
    paper = _paper(tmp_path, _claim("a-count", "Seven of 9 patients", "Seven") +
                   _claim("a-sd", "Mean 2.33 ± 0.71", "2.33 ± 0.71", "part = 2\n"))
    cov = account(paper, (Exclusion("reference", quote="ref 12"), Exclusion("duplicate", start="Seven of 9 again",
                                                                           end="(12)")), TEXT)
    got = [(a.occurrence.text, a.status, a.by) for a in cov.accounts]
    assert got == [("Seven", "claimed", "a-count"), ("9", "unaccounted", "no claim or exclusion"),
                   ("78", "unaccounted", "no claim or exclusion"), ("2.33", "unaccounted", "no claim or exclusion"),
                   ("0.71", "claimed", "a-sd"), ("12", "excluded", "reference"), ("Seven", "excluded", "duplicate"),
                   ("9", "excluded", "duplicate"), ("2005", "excluded", "duplicate"), ("12", "excluded", "duplicate")]
    assert cov.problems == () and cov.count("unaccounted") == 3 and cov.reasons() == {"duplicate": 4, "reference": 1}


def test_the_shortest_exclusion_decides_and_claims_come_first(tmp_path):
    paper = _paper(tmp_path, _claim("a-pct", "remitted (78%)", "78%"))
    cov = account(paper, (Exclusion("duplicate", start="Seven", end="0.71."), Exclusion("label", quote="9 patients")),
                  TEXT)
    assert [(a.occurrence.text, a.by) for a in cov.accounts][:5] == [
        ("Seven", "duplicate"), ("9", "label"), ("78", "a-pct"), ("2.33", "duplicate"), ("0.71", "duplicate")]


def test_two_claims_on_one_quote_take_the_numbers_in_turn(tmp_path):
    paper = _paper(tmp_path, _claim("a-first", "Seven of 9 patients remitted", "9") +
                   _claim("a-second", "of 9 patients remitted (78%)", "9"))
    cov = account(paper, (), "Seven of 9 patients remitted (78%).")
    assert [(a.occurrence.text, a.status, a.by) for a in cov.accounts] == [
        ("Seven", "unaccounted", "no claim or exclusion"), ("9", "claimed", "a-first, a-second"),
        ("78", "unaccounted", "no claim or exclusion")]


@pytest.mark.parametrize("claims, exclusions, problem", [
    (_claim("a-x", "Seven of 9", "Seven"), (), "claim 'a-x': quote 'Seven of 9' occurs 2 times; lengthen it"),
    (_claim("a-x", "Mean 2.33", "2.34"), (), "claim 'a-x': its printed number 2.34 is not in its quote 'Mean 2.33'"),
    (_claim("a-x", "ean 2.33", "2.33"), (), "claim 'a-x': quote 'ean 2.33' starts inside a word or number"),
    (_claim("a-x", "Seven of 9 patients", "Seven"), (Exclusion("reference", quote="ref 13"),), "exclusion 'ref 13': not found in the source"),
    (_claim("a-x", "Seven of 9 patients", "Seven"), (Exclusion("label", quote="patients"),), "exclusion 'patients': prints no number, so it excludes nothing"),
])
def test_what_keeps_coverage_from_being_whole_is_a_problem(tmp_path, claims, exclusions, problem):
    cov = account(_paper(tmp_path, claims), exclusions, TEXT)
    assert [p for p in cov.problems if p.startswith(problem)], cov.problems


def test_a_transcribed_passage_must_print_the_tables_numbers(tmp_path):
    paper = _paper(tmp_path, _claim("a-x", "Seven of 9 patients", "Seven"))
    text = "Mean 2.33 ± 0.71 and 1.00; 7% at months 2–7."
    cov = account(paper, (Exclusion("transcribed", quote=text, table="t"),), text,
                  {"t": {"2.33", "1", "2", "7"}})
    assert [(a.occurrence.text, a.status) for a in cov.accounts] == [
        ("2.33", "excluded"), ("0.71", "unaccounted"), ("1.00", "unaccounted"), ("7", "unaccounted"),
        ("2", "excluded"), ("7", "excluded")]
    assert "no cell of its CSV prints 0.71" in cov.accounts[1].by and "prints 7%" in cov.accounts[3].by


def test_table_cells_keep_digits_as_printed_and_percent_signs_inside_text():
    from types import SimpleNamespace

    import pandas as pd

    from reanalysis.coverage import table_cells
    from reanalysis.datasets import _ExactColumns

    exact = _ExactColumns({"n": "15\n1.00"})
    frame = pd.DataFrame({"n": [15.0, 1.0], "outcome": ["nausea, 2–7 months", "7%"], "mean": ["54", "-4"]})
    table = SimpleNamespace(frame=frame, exact=exact)
    assert table_cells(SimpleNamespace(tables={"t": table})) == {
        "t": {"15", "1.00", "2", "7", "7%", "54", "54%", "4", "4%"}}


@pytest.mark.parametrize("text, message", [
    ('[[exclusion]]\nreason = "typo"\nquote = "x 1"\n', "exclusion 1, key 'reason': 'typo' is not one of reference"),
    ('[[exclusion]]\nreason = "date"\nquote = "x 1"\nstart = "a"\nend = "b"\n', "exclusion 1: give either 'quote'"),
    ('[[exclusion]]\nreason = "date"\nstart = "a"\n', "exclusion 1: give either 'quote', or 'start' and 'end'"),
    ('[[exclusion]]\nreason = "date"\nquote = "x 1"\nwhy = "y"\n', "exclusion 1: unknown key 'why'"),
    ('[[exclusion]]\nreason = "date"\nquote = 5\n', "exclusion 1, key 'quote': expected a non-empty string, got 5"),
    ('[[exclusion]]\nreason = "transcribed"\nquote = "x 1"\n', "exclusion 1: 'table' names the transcribed table"),
    ('[[exclusion]]\nreason = "transcribed"\nquote = "x 1"\ntable = "u"\n', "key 'table': no table 'u'; the datapackage has t"),
    ('[exclusion]\nreason = "date"\n', "'exclusion' must be an array of tables, written [[exclusion]]"),
    ('[paper]\nid = "x"\n', "unknown key 'paper'; the file holds [[exclusion]] entries only"),
    ('[[exclusion]\n', "not valid TOML"),
])
def test_a_malformed_exclusion_is_one_line(tmp_path, text, message):
    path = tmp_path / "exclusions.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ClaimError, match=re.escape(message)) as err:
        load_exclusions(path, ("t",))
    assert "\n" not in str(err.value)


def _coverages():
    out = {}
    for folder in [*paper_folders(DATASETS), ROOT / "docs" / "example"]:
        cov = paper_coverage(folder, SOURCES if folder.parent == DATASETS else (folder,))
        if cov is None:
            pytest.skip(f"source of {folder.name} not in {', '.join(map(str, SOURCES))}")
        out[folder] = cov
    return out


@pytest.fixture(scope="module")
def coverages():
    return _coverages()


def test_every_printed_number_of_every_source_is_accounted_for(coverages):
    for folder, cov in coverages.items():
        assert cov.problems == (), folder.name
        assert [(a.occurrence.text, a.context) for a in cov.accounts if a.status == "unaccounted"] == [], folder.name


def test_removing_any_claim_leaves_its_number_unaccounted(coverages):
    """The coverage check can fail: each number claimed by one claim alone is named once that claim goes, unless
    another claim prints the same number, or it is also a cell of a table the dataset transcribes (then it stays
    accounted for, as that cell)."""
    tried = cells_too = shared = 0
    for folder, cov in coverages.items():
        sole = {a.occurrence: a.by for a in cov.accounts if a.status == "claimed" and ", " not in a.by}
        paper = load_claims(folder / "claims.toml")
        exclusions = load_exclusions(folder / "exclusions.toml", tuple(_tables(folder)))
        text = _source(folder, paper)
        source, cells = Text(text), _cells(folder)
        for occurrence, cid in sole.items():
            claim = next(c for c in paper.claims if c.id == cid)
            (start, end), = source.find_all(claim.quote)
            others = dataclasses.replace(paper, claims=tuple(c for c in paper.claims if c.id != cid))
            after = account(others, exclusions, text, cells).accounts
            named = [a.occurrence for a in after if a.status == "unaccounted"]
            # its number, or the same number printed nearby that another claim (sharing its quote) no longer takes
            tried += 1
            if [o for o in named if o.digits == occurrence.digits and abs(o.start - start) < 2 * (end - start) + 400]:
                continue
            now = next(a for a in after if a.occurrence == occurrence)
            if now.status == "claimed":  # another claim prints the same number ("0 (0)" and its mark): still judged
                shared += 1
            else:
                assert now.by == "transcribed", (folder.name, cid)
                cells_too += 1
    print(f"{tried} claims removed one at a time: {tried - cells_too - shared} named, {shared} still judged by a "
          f"claim printing the same number, {cells_too} also transcribed cells")
    assert tried > 700 and cells_too + shared < tried / 10


def _tables(folder):
    from reanalysis.datasets import load_dataset

    return load_dataset(folder).tables


def _cells(folder):
    from reanalysis.coverage import table_cells
    from reanalysis.datasets import load_dataset

    return table_cells(load_dataset(folder))


def _source(folder, paper):
    from reanalysis import sources

    return sources.read(sources.find(paper.source, SOURCES if folder.parent == DATASETS else (folder,)))


def test_coverage_command_counts_and_exits_1_on_an_unaccounted_number(tmp_path, capsys):
    shutil.copytree(ROOT / "docs" / "example", tmp_path / "datasets" / "example")
    sources = str(tmp_path / "datasets" / "example")
    assert cli.main(["--root", str(tmp_path), "--sources", sources, "coverage"]) == 0
    assert capsys.readouterr().out.endswith("coverage: every printed number of the 1 paper checked is claimed or "
                                            "excluded\n")
    (tmp_path / "datasets" / "example" / "exclusions.toml").unlink()
    assert cli.main(["coverage", "example", "--root", str(tmp_path), "--sources", sources]) == 1
    out = capsys.readouterr().out
    assert "UNACCOUNTED example '" in out and "numbers unaccounted or quotes and exclusions to fix in 1 paper;" in out


def test_coverage_skips_a_paper_without_its_source_and_names_unknown_papers(tmp_path, capsys):
    shutil.copytree(ROOT / "docs" / "example", tmp_path / "datasets" / "example")
    assert cli.main(["--root", str(tmp_path), "--sources", str(tmp_path), "coverage"]) == 0
    out = capsys.readouterr().out
    assert "example  skipped: its source is not in" in out
    assert out.endswith("coverage: every printed number of the 0 papers checked is claimed or excluded; 1 skipped, "
                        "their source not found (example)\n")
    assert cli.main(["--root", str(tmp_path), "coverage", "exampel"]) == 2
    assert capsys.readouterr().err.strip().endswith("no paper 'exampel' under " + str(tmp_path / "datasets") +
                                                    "; the papers are example")


def test_a_claim_takes_the_number_inside_its_whole_printed_value(tmp_path):
    paper = _paper(tmp_path, _claim("a-pct", "Nausea at months 2–7: 7%", "7%"))
    cov = account(paper, (Exclusion("protocol", quote="months 2–7"),), "Nausea at months 2–7: 7% of patients.")
    assert [(a.occurrence.text, a.occurrence.start, a.by) for a in cov.accounts] == [
        ("2", 17, "protocol"), ("7", 19, "protocol"), ("7", 22, "a-pct")]


def test_the_readme_states_each_papers_printed_number_counts(coverages):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `([a-z0-9-]+)` \|", readme, flags=re.M))
    assert listed  # the shipped papers; a paper a user adds needs no README row
    for folder, cov in coverages.items():
        if folder.parent != DATASETS or folder.name not in listed:
            continue
        counts = f"{cov.count('claimed')} / {cov.count('excluded')} / {cov.count('unaccounted')}"
        assert re.search(rf"^\| `{folder.name}` \|.*\| {counts} \|$", readme, flags=re.M), (folder.name, counts)
