import re

import pytest

from reanalysis import figures, report


@pytest.fixture(scope="module")
def svgs(ohtomo):
    return {report.figure_name(ohtomo.paper, c.data.comparison.id): figures.to_svg(figures.paired_figure(c))
            for c in ohtomo.comparisons}


def test_markdown_lists_discrepancies_before_the_claims(ohtomo):
    md = report.markdown([ohtomo])
    assert md.index("### Discrepancies") < md.index("### Every claim")
    discrepancies = md[md.index("### Discrepancies"):md.index("### Sensitivity")]
    assert discrepancies.count("\n- **") == sum(v.verdict == "discrepant" for v in ohtomo.verdicts)
    assert "**decision error**" in discrepancies
    assert "(Fig. 1) is a photograph" in md and "cannot be regenerated" in md
    for c in ohtomo.comparisons:
        assert f"../figures/ohtomo2005/{c.data.comparison.id}.svg" in md


def test_html_is_self_contained_with_every_figure_inline(ohtomo, svgs):
    page = report.html_page([ohtomo], svgs)
    assert page.count("<svg") == len(ohtomo.comparisons)
    assert not re.search(r"""(src|href)=["']https?:""", page)
    assert "<script" not in page and "<?xml" not in page
    assert '<section id="ohtomo2005">' in page


def test_every_claim_appears_once_in_the_html(ohtomo, svgs):
    page = report.html_page([ohtomo], svgs)
    for v in ohtomo.verdicts:
        assert page.count(f"<td>{v.claim_id}</td>") == 1


def test_report_sets_itt_beside_completers():
    from reanalysis.engine import evaluate_paper
    from tests.conftest import DATASETS

    result = evaluate_paper(DATASETS / "amjnephrol2012")
    md = report.markdown([result])
    assert "### Proportions with exact 95% CIs" in md and "### Sensitivity" not in md
    assert ("Complete or partial remission: 81.8% among the 11 analysed; counting the 3 withdrawals as failures "
            "(ITT) gives 64.3%") in md
    assert "../figures/amjnephrol2012/proportions.svg" in md
