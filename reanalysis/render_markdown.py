"""``results/report.md`` from the report model, for a code forge (GitHub, GitLab, Gitea).

Links point only at headings whose anchor a forge makes from the heading text (a paper's section is
headed by its id, a slug, so ``#ohtomo2005`` reaches it); a link to anything else (a claim's row) is left
as text. Figures are images with paths relative to ``results/``. Every cell and text is escaped, so markup
in a quote shows instead of running, a ``|`` stays in its cell and a line break cannot start a heading.
Claim tables sit in ``<details>``, which forges render collapsed.
"""

from __future__ import annotations

import re

from reanalysis.document import Bullets, Image, Paragraph, Section, Table


def render(report) -> str:
    anchors = {s.id for s in report.sections}
    out = [f"# {escape(report.title)}", ""]
    for block in report.blocks:
        out += _block(block, anchors)
    for section in report.sections:
        out += _block(section, anchors)
    return "\n".join(out).rstrip("\n") + "\n"


def slug(title: str) -> str:
    """The anchor a forge gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", title.strip().lower()).replace(" ", "-")


def _block(block, anchors) -> list:
    if isinstance(block, Section):
        out = ["#" * block.level + " " + escape(block.title), ""]
        if block.subtitle:
            out += [escape(block.subtitle), ""]
        for inner in block.blocks:
            out += _block(inner, anchors)
        return out
    if isinstance(block, Paragraph):
        if block.role == "contents":  # the subsections' anchors repeat across papers; a forge has its own outline
            return []
        line = _runs(block.runs, anchors)
        return [f"**{line}**" if block.role.startswith("headline") else line, ""]
    if isinstance(block, Bullets):
        out = []
        for item, subs in block.items:
            out.append(f"- {_runs(item, anchors)}")
            out += [f"  - {_runs(sub, anchors)}" for sub in subs]
        return out + [""] if out else []
    if isinstance(block, Table):
        return _table(block, anchors)
    if isinstance(block, Image):
        return [f"![{escape(block.caption)}](../{block.path})", ""]
    raise TypeError(f"no Markdown for {type(block).__name__}")


def _table(table: Table, anchors) -> list:
    head = "| " + " | ".join(escape(c) for c in table.columns) + " |"
    rule = "|" + "|".join("---:" if i in table.numeric else "---" for i in range(len(table.columns))) + "|"
    rows = ["| " + " | ".join(_runs(cell, anchors) for cell in row) + " |" for row in table.rows]
    body = [head, rule, *rows]
    if table.claims:
        return [f"<details><summary>{escape(table.summary)}</summary>", "", *body, "", "</details>", ""]
    return body + [""]


def _runs(runs, anchors) -> str:
    out = []
    for r in runs:
        t = escape(r.text)
        if r.style == "bold" or r.style == "flag":
            t = f"**{t}**"
        elif r.style == "code":
            code = " ".join(r.text.replace("`", "'").replace("|", "\\|").split())
            t = f"`{code}`" if code else ""
        elif r.style == "quote":
            t = f"\u201c{t}\u201d"
        if r.link in anchors:
            t = f"[{t}](#{slug(r.link)})"
        out.append(t)
    return "".join(out)


def escape(text: str) -> str:
    """Text for Markdown: HTML markup shown, not run (``<script>``, ``<img onerror>``), a ``|`` kept inside its
    table cell, emphasis and link characters shown as themselves, one line."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = re.sub(r"([\\`*_\[\]|#])", r"\\\1", text)
    return " ".join(text.split("\n")).replace("\r", " ")
