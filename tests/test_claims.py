import tomllib

import pytest

from reanalysis import sources
from reanalysis.claims import VERDICTS, load_claims
from reanalysis.errors import ClaimError
from tests.conftest import DATASETS, seed_text

CLAIMS = DATASETS / "ohtomo2005" / "claims.toml"


def test_ohtomo_claims_load():
    paper = load_claims(CLAIMS)
    assert paper.paper == "ohtomo2005" and paper.alpha == 0.05
    assert len(paper.claims) >= 100
    assert {c.expected for c in paper.claims} <= set(VERDICTS)


PAPERS = [load_claims(p) for p in sorted(DATASETS.glob("*/claims.toml"))]
ALL = [(paper, claim) for paper in PAPERS for claim in paper.claims]


def _ids(item):
    return f"{item[0].paper}/{item[1].id}" if isinstance(item, tuple) else None


@pytest.mark.parametrize("item", ALL, ids=_ids)
def test_quote_occurs_in_source(item):
    paper, claim = item
    assert sources.normalise(claim.quote) in sources.normalise(seed_text(paper.source))


@pytest.mark.parametrize("item", ALL, ids=_ids)
def test_printed_value_occurs_in_its_quote(item):
    _, claim = item
    assert sources.normalise(claim.reported) in sources.normalise(claim.quote)


def test_same_as_must_name_a_claim(tmp_path):
    body = GOOD + GOOD.replace('"a-b"', '"c-d"') + 'same_as = "x-y"\n'
    with pytest.raises(ClaimError, match="same_as names unknown claim 'x-y'"):
        load_claims(_write(tmp_path, body))


def _write(tmp_path, body):
    path = tmp_path / "claims.toml"
    path.write_text('[paper]\nid = "x"\nsource = "x.txt"\n' + body, encoding="utf-8")
    return path


GOOD = '[[claim]]\nid = "a-b"\nlocation = "L"\nquote = "q 1"\nreported = "1"\nanalysis = "count"\nexpected = "reproduced"\n'


@pytest.mark.parametrize("body, message", [
    (GOOD.replace('"a-b"', '"A B"'), "claim id 'A B' is malformed"),
    (GOOD + GOOD, "claim 'a-b': claim id used twice"),
    (GOOD.replace('reported = "1"', 'reported = "0..016"'), "claim 'a-b', key 'reported': malformed printed value '0..016'"),
    (GOOD.replace('reported = "1"', 'reported = "p<"'), "malformed printed value 'p<'"),
    (GOOD.replace('reported = "1"', 'reported = "12 years, 13 months"'), "months must be 0 to 11"),
    (GOOD.replace('expected = "reproduced"', 'expected = "fine"'), "expected verdict 'fine' is not one of"),
    (GOOD.replace('expected = "reproduced"', 'expected = "discrepant"'), "needs a 'note' with its diagnosis"),
    (GOOD.replace('location = "L"\n', ""), "claim 'a-b': missing 'location'"),
    (GOOD.replace('quote = "q 1"', 'quote = "  "'), "claim 'a-b': missing 'quote'"),
    (GOOD + 'colour = "red"\n', "unknown key 'colour'"),
    (GOOD.replace("[[claim]]", "[claim"), "invalid TOML"),
    ("", "no [[claim]] entries"),
])
def test_malformed_claims_name_the_claim(tmp_path, body, message):
    with pytest.raises(ClaimError) as err:
        load_claims(_write(tmp_path, body))
    assert message in str(err.value)
    assert "claims.toml" in str(err.value)


def test_part_names_which_number_of_a_text_of_several_the_claim_judges(tmp_path):
    body = GOOD.replace('reported = "1"', 'reported = "2.33 (\u00b10.71)"\npart = 2')
    claim = load_claims(_write(tmp_path, body)).claims[0]
    assert claim.reported == "2.33 (\u00b10.71)" and claim.printed.text == "0.71" and claim.part == 2
    unjudged = GOOD.replace('reported = "1"', 'reported = "1.2 to 3.4"').replace('"count"', '"not_recomputable"')
    assert load_claims(_write(tmp_path, unjudged.replace('"reproduced"', '"not_recomputable"\nnote = "' + "x" * 40 + '"'))
                       ).claims[0].printed is None


@pytest.mark.parametrize("body, message", [
    (GOOD.replace('reported = "1"', 'reported = "1.58 \u00b1 1.17"'),
     "claim 'a-b': '1.58 \u00b1 1.17' prints 2 numbers (1.58, 1.17); say which one the claim judges with part = 1 to 2"),
    (GOOD.replace('reported = "1"', 'reported = "43 (22\u201395)"\npart = 4'),
     "claim 'a-b', key 'part': '43 (22\u201395)' prints 3 numbers, so part 4 does not exist"),
    (GOOD + "part = 2\n", "key 'part': '1' prints 1 number, so part 2 does not exist"),
    (GOOD + "part = 0\n", "key 'part': must be a whole number from 1, got 0"),
    (GOOD + 'part = "sd"\n', "key 'part': must be a whole number from 1, got 'sd'"),
    (GOOD.replace('reported = "1"', 'reported = "2,3"'), "if the paper writes decimal commas (2,3), declare "
                                                         "decimal_comma = true in [paper]"),
])
def test_texts_of_several_numbers_need_a_valid_part(tmp_path, body, message):
    with pytest.raises(ClaimError) as err:
        load_claims(_write(tmp_path, body))
    assert message in str(err.value)


def test_a_paper_declares_decimal_commas(tmp_path):
    path = tmp_path / "claims.toml"
    path.write_text('[paper]\nid = "x"\nsource = "x.txt"\ndecimal_comma = true\n'
                    + GOOD.replace('reported = "1"', 'reported = "2,3 (1,1)"\npart = 1'), encoding="utf-8")
    paper = load_claims(path)
    assert paper.decimal_comma and str(paper.claims[0].printed.interval()) == "[2.25, 2.35)"
    path.write_text(path.read_text(encoding="utf-8").replace("decimal_comma = true", 'decimal_comma = "yes"'),
                    encoding="utf-8")
    with pytest.raises(ClaimError, match="decimal_comma must be true or false"):
        load_claims(path)


def test_missing_claims_file(tmp_path):
    with pytest.raises(ClaimError, match="file not found"):
        load_claims(tmp_path / "claims.toml")


def test_reads_as_gives_verbal_reports_their_bound(tmp_path):
    body = GOOD.replace('reported = "1"', 'reported = "not statistically changed"\nreads_as = ">=0.05"')
    claim = load_claims(_write(tmp_path, body)).claims[0]
    assert claim.reported == "not statistically changed" and str(claim.printed.interval("bound")) == "[0.05, inf)"


@pytest.mark.parametrize("paper", PAPERS, ids=lambda p: p.paper)
def test_every_discrepant_or_not_recomputable_claim_has_a_note(paper):
    doc = tomllib.loads(paper.path.read_text(encoding="utf-8"))
    for c in doc["claim"]:
        if c["expected"] in ("discrepant", "not_recomputable"):
            assert len(c["note"]) > 30, c["id"]
