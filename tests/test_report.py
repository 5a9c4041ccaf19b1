import collections
import html
import re

import pytest

from reanalysis import report
from reanalysis.document import Image, Table, walk
from reanalysis.render_markdown import escape, slug
from reanalysis.results import findings


@pytest.fixture(scope="module")
def everything():
    from reanalysis.engine import evaluate_all
    from tests.conftest import DATASETS

    return evaluate_all(DATASETS)


@pytest.fixture(scope="module")
def built(everything):
    return report.build(everything)


@pytest.fixture(scope="module")
def svgs(built):
    """Every figure the report shows, with ids of their own that collide across figures, as matplotlib's do."""
    return {b.path: '<?xml version="1.0"?>\n<svg><defs><path id="m1"/></defs><use xlink:href="#m1"/>'
                    '<g id="figure_1" clip-path="url(#c1)"><clipPath id="c1"/></g></svg>'
            for b in walk(built.sections) if isinstance(b, Image)}


@pytest.fixture(scope="module")
def md(everything):
    return report.markdown(everything)


@pytest.fixture(scope="module")
def page(everything, svgs):
    return report.html_page(everything, svgs)


def test_each_paper_opens_with_a_headline_from_its_verdicts(everything, built):
    by = {p.paper: p for p in everything}
    heads = {s.id: "".join(r.text for r in s.blocks[0].runs) for s in built.sections[1:]}
    card = report.scorecard(by["ohtomo2005"])
    assert heads["ohtomo2005"].startswith(f"{card['discrepant']} of {len(by['ohtomo2005'].verdicts)} printed numbers "
                                          "are contradicted (8 findings); 1 changes a conclusion: Abstract, printed "
                                          "significant")
    assert heads["amjnephrol2012"] == "All 12 checkable printed numbers of 12 hold (8 reproduced, 4 consistent); 0 " \
                                      "could not be recomputed."
    assert [s.blocks[0].role for s in built.sections[1:]] == [
        "headline" if report.scorecard(p)["discrepant"] else "headline holds" for p in everything]


def test_findings_come_before_figures_and_the_claims_last(built):
    for section in built.sections[1:]:
        order = [b.id.split("/", 1)[1] for b in section.blocks if hasattr(b, "id")]
        if "findings" in order and "figures" in order:
            assert order.index("findings") < order.index("figures")
        assert order[0] == "scorecard" and order[-1] == "claims"


def test_a_paper_without_discrepancies_has_no_findings_heading_and_no_bare_doi(md, page):
    amj = md[md.index("## amjnephrol2012"):md.index("## fluge2011")]
    assert "### Findings" not in amj
    assert not re.search(r"doi:\s*(\n|$|<)", md) and "doi:</p>" not in page and "doi: <" not in page


def test_markdown_lists_each_finding_once_before_the_claims(everything, md):
    ohtomo = next(p for p in everything if p.paper == "ohtomo2005")
    part = md[md.index("## ohtomo2005"):md.index("## rokutanda2014")]
    found = part[part.index("### Findings"):part.index("### Figures")]
    discrepant = [v for v in ohtomo.verdicts if v.verdict == "discrepant"]
    assert all(found.count(f"**{escape(v.claim_id)}**") == 1 for v in discrepant)
    assert found.count("\n- ") == len(findings(ohtomo.verdicts)) == 8 < len(discrepant) == 10
    assert "- Finding **age-range-rules**, 2 printed numbers:\n  - **methods-age-min**" in found
    assert "Decision error:" in found and "**decision error** Decision error" not in found  # said once
    assert part.index("### Findings") < part.index("### Every claim")


def test_markdown_renders_on_a_forge(built, md):
    """Links reach headings by the anchors a forge makes, every figure is an image, claim tables keep their quotes."""
    headings = [line.lstrip("#").strip() for line in md.splitlines() if line.startswith("#")]
    anchors = {slug(h) for h in headings}
    links = re.findall(r"\]\(#([^)]+)\)", md)
    assert links and set(links) <= anchors
    images = re.findall(r"!\[[^\]]*\]\(\.\./(figures/[^)]+\.svg)\)", md)
    assert images == [b.path for b in walk(built.sections) if isinstance(b, Image)]
    assert "| claim | location | quote | printed |" in md and "<details><summary>Every claim of kagawa (" in md


def test_both_renderers_carry_the_same_claims_and_numbers(everything, md, page):
    tables = re.findall(r"<details><summary>Every claim of .*?</details>", md, flags=re.S)
    rows_md = [line for t in tables for line in t.splitlines() if line.startswith("| ")]
    shown_md = {}
    for line in rows_md:
        cells = [c.strip() for c in re.split(r"(?<!\\) \| ", line.strip("| "))]
        if cells[0] != "claim":
            shown_md.setdefault(cells[0].replace("\\", ""), []).append((cells[3], cells[4], cells[6]))
    shown_html = {}
    for paper, cid, cells in re.findall(r'<tr id="([^/"]+)/([^"]+)" class[^>]*>(.*?)</tr>', page):
        td = [html.unescape(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r"<td[^>]*>(.*?)</td>", cells)]
        shown_html.setdefault(cid, []).append((td[3], td[4], td[6]))
    total = sum(len(p.verdicts) for p in everything)
    assert sum(map(len, shown_html.values())) == sum(map(len, shown_md.values())) == total
    unescape = lambda s: html.unescape(re.sub(r"\\(.)", r"\1", s))  # noqa: E731
    assert {k: sorted(v) for k, v in shown_html.items()} == {
        k: sorted(tuple(unescape(x) for x in t) for t in v) for k, v in shown_md.items()}


def test_numbers_are_shown_at_a_readable_precision(everything, md):
    jcr = next(p for p in everything if p.paper == "jcr2011")
    ginzler = jcr.pooled[0].trials[0].rr
    assert f"| {report.sig(ginzler.estimate)} ({report.sig(ginzler.ci_low)} to {report.sig(ginzler.ci_high)}) |" in md
    assert "3.89 (1.37 to 11.0)" in md and "3.88732" not in md
    ohtomo = next(p for p in everything if p.paper == "ohtomo2005")
    row = next(line for line in md.splitlines() if line.startswith("| results-relapse-p |"))
    assert "| 0.0158 |" in row  # a p-value: 3 significant digits
    mean = next(line for line in md.splitlines() if line.startswith("| results-relapse-pre-mean |"))
    assert "| 2.333 |" in mean  # printed "2.33": one digit more
    assert ohtomo.comparisons


def test_every_id_on_the_page_is_unique_and_every_link_reaches_one(page, svgs):
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert [i for i, n in collections.Counter(ids).items() if n > 1] == []
    assert len([i for i in ids if i.endswith("-m1")]) == len(svgs)  # each figure's ids prefixed apart
    targets = set(re.findall(r'href="#([^"]+)"', page)) | set(re.findall(r"url\(#([^)]+)\)", page))
    assert targets and targets <= set(ids)


def test_the_page_is_self_contained(page, svgs):
    assert page.count("<svg") == len(svgs)
    assert not re.search(r"""(src|href)=["']?(https?:|//)""", page) and " src=" not in page
    assert "<?xml" not in page and page.count("<script>") == 1


def test_every_claim_has_a_stable_link_and_filter_data(everything, page):
    for p in everything:
        for v in p.verdicts:
            assert page.count(f'<tr id="{p.paper}/{v.claim_id}" class="{v.verdict}" data-paper="{p.paper}" '
                              f'data-verdict="{v.verdict}"') == 1


def test_claim_tables_are_collapsed_and_the_others_are_not(page, everything):
    assert page.count('<details class="claims">') == len(everything)
    assert "<details open" not in page


def test_report_sets_itt_beside_completers(everything, md):
    amj = md[md.index("## amjnephrol2012"):md.index("## fluge2011")]
    assert "### Proportions with exact 95% CIs" in amj and "### Sensitivity" not in amj
    assert ("Complete or partial remission: 81.8% among the 11 analysed; counting the 3 withdrawals as failures "
            "(ITT) gives 64.3%") in amj
    assert "../figures/amjnephrol2012/proportions.svg" in amj


def test_overview_lists_every_paper_and_puts_decision_errors_first(everything, md):
    for p in everything:
        assert f"| [{p.paper}](#{p.paper}) | {len(p.verdicts)} |" in md
    part = md[md.index("### Findings across papers"):md.index("![Remission")]
    items = [line for line in part.splitlines() if line.startswith("- ")]
    assert len(items) == sum(len(findings(p.verdicts)) for p in everything)
    flags = ["**decision error**" in line for line in items]
    assert flags == sorted(flags, reverse=True) and flags[0]


def test_claims_link_to_the_figure_that_shows_them(everything):
    by = {p.paper: p for p in everything}
    links = report.figure_links(by["ohtomo2005"])
    assert links["results-relapse-p"] == "ohtomo2005/figure/relapses"
    assert links["results-csa-cum-pre-mean"] == "ohtomo2005/figure/csa-cumulative"
    assert links["discussion-weaned-percent"] == "ohtomo2005/figure/proportions"
    kagawa = report.figure_links(by["kagawa"])
    assert kagawa["table2-sledai-month2-mark"] == "kagawa/figure/fig2-biochemistry"
    assert kagawa["discussion-cr-month12-count"] == "kagawa/figure/fig1-remission"
    assert kagawa["results-cr-month6-percent"] == "kagawa/figure/proportions"
    assert kagawa["table1-c3-sd"] == kagawa["table1-sle-duration-max"] == "kagawa/figure/table1-samples"
    assert "table1-anti-dsdna-sd" not in kagawa  # its samples are not drawn
    assert report.figure_links(by["amjnephrol2012"])["en-early-remission"] == "amjnephrol2012/figure/proportions"
    assert "results-age-start-mean" not in links


def test_both_renderers_show_each_claims_strength_and_reason(everything, md, page):
    ohtomo = next(p for p in everything if p.paper == "ohtomo2005")
    weak = next(v for v in ohtomo.verdicts if v.claim_id == "table1-csa-duration-p1")
    assert weak.verdict == "not_recomputable" and weak.strength == 0
    assert re.search(r"\| table1-csa-duration-p1 \|[^\n]*\| not\\_recomputable: the only available check cannot "
                     r"fail \| 0\.00 \|", md)
    assert re.search(r'id="ohtomo2005/table1-csa-duration-p1"[^\n]*<td>not_recomputable: the only available check '
                     r"cannot fail</td><td class=n>0\.00</td>", page)
    assert "| not\\_recomputable: the source lacks the data |" in md
    assert "<td>not_recomputable: the source lacks the data</td>" in page
    assert "Strength: the share of the printed value's neighbours" in md and "Strength: the share" in page


@pytest.mark.parametrize("raw, shown", [
    ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ('<img src=x onerror="y">', '&lt;img src=x onerror="y"&gt;'),
    ("a | b\n# heading", "a \\| b \\# heading"),
    ("p < 0.05 & more", "p &lt; 0.05 &amp; more"),
    ("[link](javascript:x) *em* `code` _u_", "\\[link\\](javascript:x) \\*em\\* \\`code\\` \\_u\\_"),
])
def test_markdown_shows_markup_instead_of_running_it(raw, shown):
    assert escape(raw) == shown


def test_tables_know_their_numeric_columns(built):
    tables = [b for b in walk(built.sections) if isinstance(b, Table)]
    claims = [t for t in tables if t.claims]
    assert len(claims) == len(built.sections) - 1
    assert all(t.columns == report.CLAIM_COLUMNS and t.numeric == frozenset({4, 6}) for t in claims)
