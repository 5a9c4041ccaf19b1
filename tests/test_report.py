import re

import pytest

from reanalysis import figures, report
from reanalysis.results import findings


@pytest.fixture(scope="module")
def svgs(ohtomo):
    drawn = {report.figure_name(ohtomo.paper, c.data.comparison.id): figures.to_svg(figures.paired_figure(c))
             for c in ohtomo.comparisons}
    drawn[report.figure_name(ohtomo.paper, "proportions")] = figures.to_svg(figures.proportions_figure(ohtomo.proportions, "t"))
    drawn[report.CROSS_STUDY] = figures.to_svg(figures.cross_study_figure([ohtomo]))
    return drawn


def test_markdown_lists_discrepancies_before_the_claims(ohtomo):
    md = report.markdown([ohtomo])
    assert md.index("### Discrepancies") < md.index("### Every claim")
    discrepancies = md[md.index("### Discrepancies"):md.index("### Sensitivity")]
    discrepant = [v for v in ohtomo.verdicts if v.verdict == "discrepant"]
    assert all(discrepancies.count(f"**{v.claim_id}**") == 1 for v in discrepant)
    assert discrepancies.count("\n- ") == len(findings(ohtomo.verdicts)) == 8 < len(discrepant) == 10
    assert "- Finding **age-range-rules**, 2 printed numbers:\n  - **methods-age-min**" in discrepancies
    assert "**decision error**" in discrepancies
    assert "(Fig. 1) is a photograph" in md and "cannot be regenerated" in md
    for c in ohtomo.comparisons:
        assert f"../figures/ohtomo2005/{c.data.comparison.id}.svg" in md


def test_html_is_self_contained_with_every_figure_inline(ohtomo, svgs):
    page = report.html_page([ohtomo], svgs)
    assert page.count("<svg") == len(svgs) == len(ohtomo.comparisons) + 2
    assert not re.search(r"""(src|href)=["']https?:""", page)
    assert "<script" not in page and "<?xml" not in page
    assert '<section id="ohtomo2005">' in page


def test_every_claim_appears_once_in_the_html(ohtomo, svgs):
    page = report.html_page([ohtomo], svgs)
    for v in ohtomo.verdicts:
        assert page.count(f'<tr id="ohtomo2005-{v.claim_id}"') == 1


def test_report_sets_itt_beside_completers():
    from reanalysis.engine import evaluate_paper
    from tests.conftest import DATASETS

    result = evaluate_paper(DATASETS / "amjnephrol2012")
    md = report.markdown([result])
    assert "### Proportions with exact 95% CIs" in md and "### Sensitivity" not in md
    assert ("Complete or partial remission: 81.8% among the 11 analysed; counting the 3 withdrawals as failures "
            "(ITT) gives 64.3%") in md
    assert "../figures/amjnephrol2012/proportions.svg" in md


@pytest.fixture(scope="module")
def everything():
    from reanalysis.engine import evaluate_all
    from tests.conftest import DATASETS

    return evaluate_all(DATASETS)


def test_overview_lists_every_paper_and_puts_decision_errors_first(everything):
    md = "\n".join(report.overview_markdown(everything))
    for p in everything:
        assert f"| [{p.paper}](#{p.paper}) | {len(p.verdicts)} |" in md
    items = [line for line in md.splitlines() if line.startswith("- ")]
    assert len(items) == sum(len(findings(p.verdicts)) for p in everything)
    assert len(items) < sum(v.verdict == "discrepant" for p in everything for v in p.verdicts)  # shared findings once
    flags = ["decision error" in line for line in items]
    assert flags == sorted(flags, reverse=True) and flags[0]


def test_claims_link_to_the_figure_that_shows_them(everything):
    by = {p.paper: p for p in everything}
    links = report.figure_links(by["ohtomo2005"])
    assert links["results-relapse-p"] == "ohtomo2005-relapses"
    assert links["results-csa-cum-pre-mean"] == "ohtomo2005-csa-cumulative"
    assert links["discussion-weaned-percent"] == "ohtomo2005-proportions"
    kagawa = report.figure_links(by["kagawa"])
    assert kagawa["table2-sledai-month2-mark"] == "kagawa-fig2-biochemistry"
    assert kagawa["discussion-cr-month12-count"] == "kagawa-fig1-remission"
    assert kagawa["results-cr-month6-percent"] == "kagawa-proportions"
    assert kagawa["table1-c3-sd"] == kagawa["table1-sle-duration-max"] == "kagawa-table1-samples"
    assert "table1-anti-dsdna-sd" not in kagawa  # its samples are not drawn
    assert report.figure_links(by["amjnephrol2012"])["en-early-remission"] == "amjnephrol2012-proportions"
    assert "results-age-start-mean" not in links


def test_every_link_target_exists_in_the_page(everything):
    svgs = {report.CROSS_STUDY: "<svg/>"}
    for p in everything:
        for c in p.comparisons:
            svgs[report.figure_name(p.paper, c.data.comparison.id)] = "<svg/>"
        svgs[report.figure_name(p.paper, "proportions")] = "<svg/>"
        for f in p.figures:
            svgs[report.figure_name(p.paper, f.id)] = "<svg/>"
        for pooled in p.pooled:
            svgs[report.figure_name(p.paper, "forest-" + pooled.id)] = "<svg/>"
    page = report.html_page(everything, svgs)
    targets = set(re.findall(r'href="#([^"]+)"', page))
    ids = set(re.findall(r'id="([^"]+)"', page))
    assert targets and targets <= ids


def test_both_renderers_show_each_claims_strength(ohtomo, svgs):
    md, page = report.markdown([ohtomo]), report.html_page([ohtomo], svgs)
    weak = next(v for v in ohtomo.verdicts if v.claim_id == "table1-csa-duration-p1")
    assert weak.verdict == "not_recomputable" and weak.strength == 0
    assert re.search(r"\| table1-csa-duration-p1 \|[^\n]*\| not_recomputable: the only available check cannot fail "
                     r"\| 0\.00 \|", md)
    assert re.search(r'id="ohtomo2005-table1-csa-duration-p1"[^\n]*<td>not_recomputable: the only available check '
                     r'cannot fail</td><td>0\.00</td>', page)
    lacks = next(v for v in ohtomo.verdicts if v.claim_id == "results-side-effect-count")
    assert lacks.reason == "source_lacks_data"
    assert "| not_recomputable: the source lacks the data |" in md
    assert "<td>not_recomputable: the source lacks the data</td>" in page
    row = next(v for v in ohtomo.verdicts if v.claim_id == "results-relapse-p")
    assert re.search(rf"\| results-relapse-p \|[^\n]*\| reproduced \| {report.fmt_strength(row.strength)} \|", md)
    assert "Strength: the share of the printed value's neighbours" in md and "Strength: the share" in page


def test_markdown_cells_show_markup_instead_of_running_it():
    from reanalysis.report import _md

    assert _md("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert _md('<img src=x onerror="y">') == '&lt;img src=x onerror="y"&gt;'
    assert _md("a | b\n# heading") == "a \\| b # heading"
    assert _md("p < 0.05 & more") == "p &lt; 0.05 &amp; more"
