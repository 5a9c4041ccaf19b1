"""``results/report.html`` from the report model: one self-contained page that works offline.

No external script, font or stylesheet; figures are inlined SVG whose ids are prefixed per figure, so every
id on the page is unique. Claim tables are collapsed (``<details>``); a filter bar above them selects claims
by paper, verdict, strength, decision error and location, and searches their text; every table sorts by a
click on its header, which stays in view while the table scrolls. Each claim has a stable link,
``report.html#paper/claim-id``, which opens its table and highlights it.
"""

from __future__ import annotations

import html
import re

from reanalysis.document import Bullets, Image, Paragraph, Section, Table, walk

STYLE = """
body{font-family:sans-serif;max-width:76em;margin:auto;padding:0 1em 4em;line-height:1.4}
table{border-collapse:collapse;font-size:0.85em;margin:0.5em 0}
td,th{border:1px solid #ccc;padding:0.2em 0.4em;vertical-align:top}
th{background:#f5f5f5;position:sticky;top:0;z-index:1;cursor:pointer;text-align:left}
th[aria-sort=ascending]::after{content:" \\25B2"}th[aria-sort=descending]::after{content:" \\25BC"}
td.n{text-align:right}
.contents{font-size:0.9em}
.headline{font-size:1.1em;font-weight:bold;border-left:4px solid #b00;padding-left:0.5em}
.discrepant td{background:#fde8e8}.not_recomputable td{background:#f3f3f3}.consistent td{background:#eef6ff}
.flag{color:#b00}tr.target td{outline:2px solid #d80;background:#fff3c4}
figure svg{max-width:100%;height:auto}figure{margin:1em 0}
details.claims>summary{cursor:pointer;font-weight:bold;margin:0.5em 0}
#filters{position:sticky;top:0;z-index:2;background:#fff;border-bottom:1px solid #ccc;padding:0.4em 0;
display:flex;flex-wrap:wrap;gap:0.5em 1em;align-items:center;font-size:0.9em}
#filters label{white-space:nowrap}
.claims table th{top:var(--bar,3.2em)}
tr[data-verdict],section,figure{scroll-margin-top:calc(var(--bar,3.2em) + 2.5em)}
.headline.holds{border-left-color:#2a7}
"""

SCRIPT = """
(function () {
  function rows() { return Array.prototype.slice.call(document.querySelectorAll('tr[data-verdict]')); }
  function value(id) { return document.getElementById(id).value; }
  function applyFilters() {
    var paper = value('f-paper'), verdict = value('f-verdict'), strength = value('f-strength');
    var de = document.getElementById('f-de').checked;
    var where = value('f-location').toLowerCase(), words = value('f-search').toLowerCase();
    var active = paper || verdict || strength || de || where || words, shown = 0, all = rows();
    all.forEach(function (tr) {
      var s = tr.getAttribute('data-strength');
      var ok = (!paper || tr.getAttribute('data-paper') === paper) &&
        (!verdict || tr.getAttribute('data-verdict') === verdict) &&
        (!strength || (s !== '' && parseFloat(s) >= parseFloat(strength))) &&
        (!de || tr.getAttribute('data-de') === 'true') &&
        (!where || tr.getAttribute('data-location').toLowerCase().indexOf(where) >= 0) &&
        (!words || tr.textContent.toLowerCase().indexOf(words) >= 0);
      tr.hidden = !ok;
      if (ok) { shown += 1; }
    });
    document.querySelectorAll('details.claims').forEach(function (d) {
      var any = d.querySelector('tr[data-verdict]:not([hidden])') !== null;
      if (active) { d.open = any; }
    });
    document.getElementById('f-count').textContent = shown + ' of ' + all.length + ' claims shown';
  }
  function sortBy(th) {
    var table = th.closest('table'), body = table.tBodies[0], index = th.cellIndex;
    var numeric = th.getAttribute('data-type') === 'number';
    var order = th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending';
    table.querySelectorAll('th').forEach(function (h) { h.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', order);
    var list = Array.prototype.slice.call(body.rows);
    list.sort(function (a, b) {
      var x = a.cells[index].textContent.trim(), y = b.cells[index].textContent.trim(), c;
      if (numeric) {
        var p = parseFloat(x), q = parseFloat(y);
        c = (isNaN(p) ? Infinity : p) - (isNaN(q) ? Infinity : q);
      } else { c = x.localeCompare(y); }
      return order === 'ascending' ? c : -c;
    });
    list.forEach(function (tr) { body.appendChild(tr); });
  }
  function showTarget() {
    document.querySelectorAll('tr.target').forEach(function (tr) { tr.classList.remove('target'); });
    var id = decodeURIComponent(location.hash.slice(1));
    var el = id && document.getElementById(id);
    if (!el) { return; }
    var d = el.closest('details');
    if (d) { d.open = true; }
    if (el.tagName === 'TR') { el.hidden = false; el.classList.add('target'); }
    el.scrollIntoView({block: 'start'});
  }
  document.querySelectorAll('th').forEach(function (th) {
    th.tabIndex = 0;
    th.addEventListener('click', function () { sortBy(th); });
    th.addEventListener('keydown', function (e) { if (e.key === 'Enter') { sortBy(th); } });
  });
  ['f-paper', 'f-verdict', 'f-strength', 'f-de', 'f-location', 'f-search'].forEach(function (id) {
    document.getElementById(id).addEventListener('input', applyFilters);
    document.getElementById(id).addEventListener('change', applyFilters);
  });
  function barHeight() {
    var bar = document.getElementById('filters');
    document.documentElement.style.setProperty('--bar', bar.offsetHeight + 'px');
  }
  window.addEventListener('hashchange', showTarget);
  window.addEventListener('resize', barHeight);
  window.addEventListener('load', function () { barHeight(); showTarget(); });
  barHeight();
  applyFilters();
  showTarget();
})();
"""


def render(report, svgs: dict) -> str:
    """The page; ``svgs`` maps each figure's path (``figures/...svg``) to its SVG text."""
    ids = iter(range(1, 10 ** 6))
    body = [f"<h1>{_e(report.title)}</h1>"] + [_block(b, svgs, ids) for b in report.blocks]
    body.append(_filters(report))
    body += [_block(s, svgs, ids) for s in report.sections]
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{_e(report.title)}</title><style>{STYLE}</style></head><body>\n" + "\n".join(body)
            + f"\n<script>{SCRIPT}</script>\n</body></html>\n")


def _filters(report) -> str:
    claims = [row for block in walk(report.sections) if isinstance(block, Table) for row in block.claims]
    papers = list(dict.fromkeys(row.paper for row in claims))
    verdicts = list(dict.fromkeys(sorted(row.verdict for row in claims)))

    def options(values) -> str:
        return "".join(f'<option value="{_e(v)}">{_e(v)}</option>' for v in values)

    return ('<form id="filters" role="search" onsubmit="return false">'
            f'<label>paper <select id="f-paper"><option value="">all</option>{options(papers)}</select></label>'
            f'<label>verdict <select id="f-verdict"><option value="">all</option>{options(verdicts)}</select></label>'
            '<label>strength <select id="f-strength"><option value="">any</option><option value="0.01">above 0'
            '</option><option value="0.5">at least 0.50</option><option value="1">1.00</option></select></label>'
            '<label><input type="checkbox" id="f-de"> decision errors only</label>'
            '<label>location <input id="f-location" size="14"></label>'
            '<label>search <input id="f-search" type="search" size="18"></label>'
            '<span id="f-count" aria-live="polite"></span></form>')


def _block(block, svgs, ids) -> str:
    if isinstance(block, Section):
        level = min(block.level, 6)
        sub = f"<p>{_e(block.subtitle)}</p>" if block.subtitle else ""
        inner = "\n".join(_block(b, svgs, ids) for b in block.blocks)
        return f'<section id="{_e(block.id)}"><h{level}>{_e(block.title)}</h{level}>{sub}\n{inner}</section>'
    if isinstance(block, Paragraph):
        cls = f' class="{block.role}"' if block.role else ""
        return f"<p{cls}>{_runs(block.runs)}</p>"
    if isinstance(block, Bullets):
        items = []
        for item, subs in block.items:
            inner = "<ul>" + "".join(f"<li>{_runs(s)}</li>" for s in subs) + "</ul>" if subs else ""
            items.append(f"<li>{_runs(item)}{inner}</li>")
        return "<ul>" + "".join(items) + "</ul>"
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Image):
        return (f'<figure id="{_e(block.id)}">{_inline(svgs[block.path], next(ids))}'
                f"<figcaption>{_e(block.caption)}</figcaption></figure>")
    raise TypeError(f"no HTML for {type(block).__name__}")


def _table(table: Table) -> str:
    head = "".join(f'<th{" data-type=number" if i in table.numeric else ""} scope="col">{_e(c)}</th>'
                   for i, c in enumerate(table.columns))
    rows = []
    for r, row in enumerate(table.rows):
        cells = "".join(f'<td{" class=n" if i in table.numeric else ""}>{_runs(cell)}</td>'
                        for i, cell in enumerate(row))
        if table.claims:
            m = table.claims[r]
            rows.append(f'<tr id="{_e(m.id)}" class="{_e(m.verdict)}" data-paper="{_e(m.paper)}" '
                        f'data-verdict="{_e(m.verdict)}" data-strength="{_e(m.strength)}" '
                        f'data-de="{str(m.decision_error).lower()}" data-location="{_e(m.location)}">{cells}</tr>')
        else:
            rows.append(f"<tr>{cells}</tr>")
    html_table = (f'<table id="{_e(table.id)}"><thead><tr>{head}</tr></thead><tbody>' + "".join(rows)
                  + "</tbody></table>")
    if table.claims:
        return f'<details class="claims"><summary>{_e(table.summary)}</summary>{html_table}</details>'
    return html_table


def _runs(runs) -> str:
    out = []
    for r in runs:
        t = _e(r.text)
        if r.style in ("bold",):
            t = f"<b>{t}</b>"
        elif r.style == "flag":
            t = f'<b class="flag">{t}</b>'
        elif r.style == "code":
            t = f"<code>{t}</code>"
        elif r.style == "quote":
            t = f"<q>{t}</q>"
        if r.link:
            t = f'<a href="#{_e(r.link)}">{t}</a>'
        out.append(t)
    return "".join(out)


def _e(text) -> str:
    return html.escape(str(text))


def _inline(svg: str, n: int) -> str:
    """SVG text without its XML prolog and DOCTYPE, its ids prefixed with ``f<n>-`` (and every reference to
    them), so that figures sharing matplotlib's ids stay unique on one page."""
    svg = re.sub(r"^.*?(?=<svg)", "", svg, flags=re.S)
    svg = re.sub(r'\bid="([^"]+)"', lambda m: f'id="f{n}-{m.group(1)}"', svg)
    return re.sub(r'(url\(#|href="#)([^")]+)', lambda m: f"{m.group(1)}f{n}-{m.group(2)}", svg)
