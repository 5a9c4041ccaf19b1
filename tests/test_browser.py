"""The report in a real browser: Debian's headless Chromium (.ci/run installs it), driven over the DevTools
protocol (tests/cdp.py). The committed results/report.html must show the overview, every paper and every
figure, log no error, and its filters, sorting, search and claim links must work. A screenshot of the
overview is left as results/report-overview.png (a CI artefact, not an output of reproduce)."""

import base64
import csv
import os
import shutil

import pytest

from tests.cdp import Browser
from tests.conftest import ROOT

PAGE = ROOT / "results" / "report.html"


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    path = shutil.which("chromium")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("CI must have Debian's chromium: .ci/run installs it")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium); CI installs it")
    b = Browser(path, tmp_path_factory.mktemp("profile"), width=1280, height=900)
    yield b
    b.close()


@pytest.fixture
def page(browser):
    browser.open(PAGE.as_uri())
    return browser


def _claims():
    with (ROOT / "results" / "claims.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _set(page, element: str, value) -> None:
    prop = "checked" if isinstance(value, bool) else "value"
    page.js(f"(function(){{var e=document.getElementById('{element}'); e.{prop}={str(value).lower() if isinstance(value, bool) else repr(value)};"
            "e.dispatchEvent(new Event('change'));})()")


def _visible(page) -> list:
    return page.js("Array.from(document.querySelectorAll('tr[data-verdict]')).filter(r => !r.hidden)"
                   ".map(r => [r.id, r.dataset.verdict, r.dataset.strength, r.dataset.de, r.dataset.location])")


def test_the_page_shows_the_overview_every_paper_and_every_figure(page):
    assert page.errors() == []
    papers = sorted(p.name for p in (ROOT / "datasets").iterdir() if p.is_dir() and not p.name.startswith("."))
    assert page.js("Array.from(document.querySelectorAll('body > section')).map(s => s.id)") == ["overview", *papers]
    figures = sorted(ROOT.joinpath("figures").rglob("*.svg"))
    assert page.js("document.querySelectorAll('figure svg').length") == len(figures) >= len(papers) + 1
    assert page.js("document.querySelectorAll('tr[data-verdict]').length") == len(_claims())
    assert page.js("document.getElementById('f-count').textContent") == f"{len(_claims())} of {len(_claims())} claims shown"


def test_ids_are_unique_and_claim_tables_start_collapsed(page):
    assert page.js("(function(){var s=new Set(),d=[];document.querySelectorAll('[id]').forEach(e=>{if(s.has(e.id))"
                   "d.push(e.id);s.add(e.id)});return d})()") == []
    assert page.js("Array.from(document.querySelectorAll('details.claims')).filter(d => d.open).length") == 0
    height = page.js("document.documentElement.scrollHeight")
    print(f"page height at 1280 px, claim tables collapsed: {height} px")
    assert height < 30_000


def test_filters_select_claims_by_verdict_paper_strength_decision_error_and_location(page):
    claims = _claims()
    _set(page, "f-verdict", "discrepant")
    shown = _visible(page)
    assert len(shown) == sum(c["verdict"] == "discrepant" for c in claims) and {r[1] for r in shown} == {"discrepant"}
    assert page.js("Array.from(document.querySelectorAll('details.claims')).filter(d => d.open).length") == len(
        {c["paper"] for c in claims if c["verdict"] == "discrepant"})
    _set(page, "f-paper", "ohtomo2005")
    assert {r[0].split("/")[0] for r in _visible(page)} == {"ohtomo2005"}
    assert len(_visible(page)) == sum(c["verdict"] == "discrepant" and c["paper"] == "ohtomo2005" for c in claims)
    _set(page, "f-de", True)
    assert [r[0] for r in _visible(page)] == [f"{c['paper']}/{c['claim_id']}" for c in claims
                                             if c["paper"] == "ohtomo2005" and c["decision_error"] == "true"]
    for element, value in (("f-verdict", ""), ("f-paper", ""), ("f-de", False)):
        _set(page, element, value)
    _set(page, "f-strength", "1")
    assert len(_visible(page)) == sum(c["strength"] == "1.00" for c in claims)
    _set(page, "f-strength", "")
    _set(page, "f-location", "table 3")
    assert _visible(page) and all("table 3" in r[4].lower() for r in _visible(page))
    assert page.errors() == []


def test_search_finds_a_quote(page):
    quote = next(c for c in _claims() if c["claim_id"] == "results-relapse-p")["quote"]
    _set(page, "f-search", quote[10:40])
    assert "ohtomo2005/results-relapse-p" in [r[0] for r in _visible(page)]
    assert len(_visible(page)) < 5


def test_a_table_header_stays_in_view_below_the_filter_bar(page):
    page.js("document.getElementById('kagawa/claims-table').closest('details').open = true")
    page.js("(function(){var b=document.getElementById('kagawa/claims-table').tBodies[0];"
            "b.rows[b.rows.length - 1].scrollIntoView({block: 'center'})})()")  # deep in a long table
    head = page.js("document.getElementById('kagawa/claims-table').tHead.rows[0].cells[0].getBoundingClientRect().top")
    bar = page.js("document.getElementById('filters').getBoundingClientRect().bottom")
    assert abs(head - bar) < 2  # stuck just under the bar, where the column names can be read


def test_a_click_on_a_header_sorts_its_table(page):
    strengths = ("Array.from(document.getElementById('kagawa/claims-table').tBodies[0].rows)"
                 ".map(r => r.cells[6].textContent)")
    header = "document.getElementById('kagawa/claims-table').tHead.rows[0].cells[6]"
    page.js(f"{header}.click()")
    values = [float(v) if v else float("inf") for v in page.js(strengths)]
    assert values == sorted(values) and page.js(f"{header}.getAttribute('aria-sort')") == "ascending"
    page.js(f"{header}.click()")
    values = [float(v) if v else float("inf") for v in page.js(strengths)]
    assert values == sorted(values, reverse=True)


def test_a_claim_link_opens_its_table_and_highlights_it(browser):
    browser.open(PAGE.as_uri() + "#ohtomo2005/results-relapse-p")
    row = "document.getElementById('ohtomo2005/results-relapse-p')"
    assert browser.js(f"{row}.classList.contains('target')")
    assert browser.js(f"{row}.closest('details').open")
    # in view, and below the sticky filter bar and the table's sticky header, not under them
    assert browser.js(f"(function(){{var r={row}.getBoundingClientRect(), bar=document.getElementById('filters')"
                      ".getBoundingClientRect(), head=" + row + ".closest('table').tHead.rows[0].cells[0].getBoundingClientRect();"
                      "return r.top >= bar.bottom && r.top >= head.bottom - 1 && r.bottom <= innerHeight})()")
    browser.js("location.hash = '#kagawa/table1-egfr-mean'")
    assert browser.js("document.getElementById('kagawa/table1-egfr-mean').classList.contains('target')")
    assert not browser.js(f"{row}.classList.contains('target')")
    assert browser.errors() == []


def test_the_overview_is_left_as_a_screenshot(page):
    shot = ROOT / "results" / "report-overview.png"
    data = base64.b64decode(page.send("Page.captureScreenshot", format="png")["data"])
    shot.write_bytes(data)
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000


def test_the_error_check_sees_a_broken_page(browser, tmp_path):
    broken = tmp_path / "broken.html"
    broken.write_text("<html><body><script>undefined_function();</script></body></html>")
    browser.open(broken.as_uri())
    assert any("undefined_function" in e or "Uncaught" in e for e in browser.errors())
