"""The report in a real browser: headless Chromium (Debian's `chromium`; .ci/run installs it) renders
results/report.html and must show the overview, every paper section and every figure, log no page
errors, and leave a screenshot of the overview as results/report-overview.png (a CI artefact)."""

import os
import re
import shutil
import subprocess

import pytest

from tests.conftest import ROOT

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PAGE = ROOT / "results" / "report.html"


@pytest.fixture(scope="module")
def chromium():
    path = shutil.which("chromium")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("CI must have Debian's chromium: .ci/run installs it")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium); CI installs it")
    return path


def _run(chromium, tmp_path, *args, page=PAGE):
    return subprocess.run([chromium, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args, page.as_uri()],
                          capture_output=True, text=True, timeout=120)


def _page_errors(stderr: str) -> list:
    return [line for line in stderr.splitlines() if re.search(r"CONSOLE|Uncaught|Failed to load resource|net::ERR_", line)]


def test_the_page_shows_the_overview_every_paper_and_every_figure(chromium, tmp_path):
    res = _run(chromium, tmp_path, "--dump-dom")
    assert res.returncode == 0, res.stderr[-2000:]
    dom = res.stdout
    assert 'id="overview-table"' in dom and 'id="cross-study"' in dom
    papers = sorted(p.name for p in (ROOT / "datasets").iterdir() if p.is_dir())
    for paper in papers:
        assert f'<section id="{paper}">' in dom, paper
    figures = sorted(ROOT.joinpath("figures").rglob("*.svg"))
    assert dom.count("<svg") == len(figures) >= len(papers) + 1
    assert dom.count("<tr id=") == sum(1 for _ in ROOT.joinpath("results", "claims.csv").open()) - 1


def test_the_page_logs_no_errors_and_leaves_a_screenshot(chromium, tmp_path):
    shot = ROOT / "results" / "report-overview.png"
    shot.unlink(missing_ok=True)
    res = _run(chromium, tmp_path, "--enable-logging=stderr", "--v=0", "--window-size=1280,1400",
               f"--screenshot={shot}")
    assert res.returncode == 0, res.stderr[-2000:]
    assert _page_errors(res.stderr) == []
    assert shot.exists() and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000


def test_the_error_check_sees_a_broken_page(chromium, tmp_path):
    broken = tmp_path / "broken.html"
    broken.write_text("<html><body><script>undefined_function();</script></body></html>")
    res = _run(chromium, tmp_path, "--enable-logging=stderr", "--v=0", f"--screenshot={tmp_path / 'b.png'}", page=broken)
    assert any("Uncaught ReferenceError" in line for line in _page_errors(res.stderr))
