import re
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
