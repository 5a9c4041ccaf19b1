import pytest

from reanalysis import reference, sources
from reanalysis.analyses import ANALYSES
from reanalysis.claims import load_claims
from reanalysis.engine import evaluate_paper
from tests.conftest import DATASETS, ROOT

EXAMPLE = ROOT / "docs" / "example"


def test_the_committed_reference_is_what_the_registry_generates():
    committed = (ROOT / "docs" / "claims-language.md").read_text(encoding="utf-8")
    assert committed == reference.markdown(), "run `python -m reanalysis.reference > docs/claims-language.md`"


def test_every_analysis_has_an_example_and_every_parameter_is_documented():
    found = reference.examples(DATASETS, EXAMPLE)
    assert set(found) == set(ANALYSES)
    text = reference.markdown()
    for name, spec in ANALYSES.items():
        section = text.split(f"### `{name}`\n", 1)[1].split("\n### ", 1)[0]
        assert f'analysis = "{name}"' in section
        assert all(f"- `{key}` (" in section for key in spec.required + spec.optional)


@pytest.fixture(scope="module")
def example():
    return evaluate_paper(EXAMPLE)


def test_every_example_claim_gets_its_audited_verdict(example):
    """The example's printed values were computed in R (docs/example/values.R): reproduced means the
    analysis agrees with R at the printed precision."""
    assert example.verdicts and all(v.verdict == v.expected for v in example.verdicts), [
        (v.claim_id, v.verdict, v.method) for v in example.verdicts if v.verdict != v.expected]
    assert {v.verdict for v in example.verdicts} >= {"reproduced", "consistent"}


def test_every_example_quote_occurs_in_the_example_source():
    paper = load_claims(EXAMPLE / "claims.toml")
    sources.check_quotes(paper, sources.read(EXAMPLE / paper.source))


def test_a_claim_renders_back_to_toml_with_its_inline_tables():
    claim = {"id": "a", "reported": "1", "analysis": "count", "expected": "reproduced",
             "params": {"table": "t", "where": {"all": [{"column": "x", "op": "==", "value": True}]}}}
    assert reference.render(claim) == ('[[claim]]\nid = "a"\nreported = "1"\nanalysis = "count"\nparams = { table = "t", '
                                       'where = { all = [{ column = "x", op = "==", value = true }] } }\n'
                                       'expected = "reproduced"')
