import numpy as np
import pytest

from reanalysis import figures


@pytest.fixture(scope="module")
def drawn(ohtomo):
    return {c.data.comparison.id: (c, figures.paired_figure(c)) for c in ohtomo.comparisons}


def test_each_figure_plots_the_dataset_values(ohtomo, drawn):
    """The lines drawn are the dataset's before/after cells, patient by patient."""
    tables = ohtomo.dataset.tables
    for cid, (result, fig) in drawn.items():
        c = result.data.comparison
        frame = tables[c.table].frame.set_index("patient")
        lines = fig.axes[0].lines
        assert len(lines) == len(result.data.keys)
        for key, line in zip(result.data.keys, lines):
            assert list(line.get_xdata()) == [0, 1]
            assert list(line.get_ydata()) == [frame.loc[key, c.before], frame.loc[key, c.after]]


def test_mean_change_and_ci_are_drawn(drawn):
    result, fig = drawn["relapses"]
    marker = fig.axes[1].lines[0]
    assert np.allclose(marker.get_ydata(), [result.t.mean_difference])
    text = fig.texts[0].get_text()
    assert "paired t-test p = 0.0158;" in text and "Wilcoxon" in text and "permutation" in text  # 3 significant digits


def test_svg_is_deterministic_and_keeps_text_as_text(drawn):
    result, _ = drawn["relapses"]
    first = figures.to_svg(figures.paired_figure(result))
    second = figures.to_svg(figures.paired_figure(result))
    assert first == second
    assert "<dc:date>" not in first and "<text" in first and "before MZR" in first


def test_proportions_figure_plots_the_counts():
    from reanalysis.engine import evaluate_paper
    from tests.conftest import DATASETS

    result = evaluate_paper(DATASETS / "amjnephrol2012")
    fig = figures.proportions_figure(result.proportions, "t")
    lines = fig.axes[0].lines
    assert len(lines) == 2 * len(result.proportions)
    counts = result.dataset.tables["counts"].frame.set_index("row")
    first = result.proportions[0]
    assert (first.exact.k, first.exact.n) == (counts.loc["remission", "events"], counts.loc["remission", "denominator"])
    for row, (ci, point) in zip(result.proportions, zip(lines[::2], lines[1::2])):
        assert list(ci.get_xdata()) == [100 * row.exact.ci_low, 100 * row.exact.ci_high]
        assert row.exact.estimate == row.exact.k / row.exact.n
        assert list(point.get_xdata()) == [100 * row.exact.estimate]


def test_kagawa_figures_plot_the_dataset_values():
    from reanalysis.engine import evaluate_paper
    from tests.conftest import DATASETS

    result = evaluate_paper(DATASETS / "kagawa")
    bars, panels, rebuilt = result.figures
    t3 = result.dataset.tables["table3"].frame
    known = {(b.series, b.month): b for b in bars.items}
    assert (known["Complete remission", 6].k, known["Complete remission", 6].n) == (int(t3["complete_remission"].sum()), 8)
    assert (known["SLEDAI remission", 6].k, known["SLEDAI remission", 6].n) == (int(t3["sledai_remission"].sum()), 8)
    assert known["Complete remission", 2].percent is None and known["SLEDAI remission", 12].source == "text only"
    assert [b.source for b in bars.items] == ["not recoverable"] * 4 + ["patient table"] * 2 + ["text only"] * 2
    assert (known["Complete remission", 12].k, known["Complete remission", 12].n) == (8, 8)
    assert (bars.id, bars.kind, panels.id, panels.kind) == ("fig1-remission", "remission_bars", "fig2-biochemistry", "summary_panels")
    assert [(p.variable, p.unit) for p in panels.items] == [
        ("Proteinuria", "g/day"), ("Serum creatinine", "mg/dL"), ("Serum C3 level", "mg/dL"),
        ("Anti-double-strand DNA", "IU/L"), ("SLEDAI scores", "score")]
    assert {(r.disease, r.regimen) for r in result.proportions} == {("lupus nephritis", "mizoribine + tacrolimus + corticosteroids")}
    fig = figures.remission_figure(bars)
    heights = [p.get_height() for p in fig.axes[0].patches]
    assert heights == [0 if b.percent is None else b.percent for b in bars.items]
    t2 = result.dataset.tables["table2"].frame.set_index("row")
    fig2 = figures.panels_figure(panels)
    for ax, panel, var in zip(fig2.axes, panels.items, ["proteinuria", "creatinine", "c3", "anti_dsdna", "sledai"]):
        line = ax.lines[0]
        assert list(line.get_xdata()) == [0, 2, 4, 6]
        expected = [float(t2.loc[f"{var}-{tp}", "mean"]) for tp in ("baseline", "month2", "month4", "month6")]
        assert list(line.get_ydata()) == expected
    assert "cannot be regenerated" in " ".join(fig2.texts[-1].get_text().split())


def test_cross_study_figure_plots_every_proportion():
    from reanalysis.engine import evaluate_all
    from tests.conftest import DATASETS

    papers = evaluate_all(DATASETS)
    rows = [r for p in papers for r in p.proportions]
    fig = figures.cross_study_figure(papers)
    lines = fig.axes[0].lines
    assert len(lines) == 2 * len(rows)
    plotted = sorted((ci.get_xdata()[0], ci.get_xdata()[1], pt.get_xdata()[0]) for ci, pt in zip(lines[::2], lines[1::2]))
    expected = sorted((100 * r.exact.ci_low, 100 * r.exact.ci_high, 100 * r.exact.estimate) for r in rows)
    assert plotted == expected
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert any("ITT" in label for label in labels) and any("as reported" in label for label in labels)


def test_forest_plot_draws_each_trial_and_the_pooled_estimates():
    from reanalysis.engine import evaluate_paper
    from tests.conftest import DATASETS

    pooled = evaluate_paper(DATASETS / "jcr2011").pooled[0]
    fig = figures.forest_figure(pooled)
    *lines, reference = fig.axes[0].lines
    assert list(reference.get_xdata()) == [1, 1]  # the no-effect line
    expected = [t.rr for t in pooled.trials if t.rr] + list(pooled.pooled.estimates)
    assert len(lines) == 2 * len(expected)
    for (ci, point), r in zip(zip(lines[::2], lines[1::2]), expected):
        assert list(ci.get_xdata()) == [r.ci_low, r.ci_high] and list(point.get_xdata()) == [r.estimate]


def test_reconstructed_samples_are_drawn_as_how_often_each_value_occurs():
    from reanalysis.engine import evaluate_paper
    from tests.conftest import DATASETS

    rebuilt = evaluate_paper(DATASETS / "kagawa").figures[2]
    assert (rebuilt.id, rebuilt.kind) == ("table1-samples", "reconstruction")
    duration, sledai, c3 = rebuilt.items
    assert (duration.row, duration.samples) == ("sle_duration", 1) and (sledai.samples, c3.samples) == (5, 2984)
    assert dict(zip(duration.values, duration.per_sample)) == {0: 6, 1: 0, 2: 0, 3: 0, 4: 1, 5: 1}
    for d in rebuilt.items:  # every sample has n = 8 values, the printed range's ends among them
        assert sum(d.per_sample) == pytest.approx(8) and d.per_sample[0] >= 1 and d.per_sample[-1] >= 1
    fig = figures.reconstruction_figure(rebuilt)
    assert [[p.get_height() for p in ax.patches] for ax in fig.axes] == [list(d.per_sample) for d in rebuilt.items]
    assert fig.axes[2].get_title(loc="left") == "(c) c3\nmean 41.3, SD 16.4, range 23 to 68"


def _every_figure():
    """Every figure `reproduce` draws, by file name."""
    from reanalysis.cli import _outputs
    from reanalysis.engine import evaluate_all
    from tests.conftest import DATASETS, ROOT

    return {str(path.relative_to(ROOT)): text for path, text in _outputs(evaluate_all(DATASETS), ROOT, full=False).items()
            if path.suffix == ".svg"}


@pytest.fixture(scope="module")
def svgs():
    return _every_figure()


def test_no_text_is_below_8_pt_and_no_figure_is_wider_than_the_report(svgs):
    """matplotlib writes sizes in pt as SVG user units; the report shows figures up to 10 in wide at full size."""
    import re

    for name, svg in svgs.items():
        sizes = {float(s) for s in re.findall(r"font-size: ([0-9.]+)px", svg)}
        assert sizes and min(sizes) >= 8, name
        width = float(re.search(r'<svg [^>]*width="([0-9.]+)pt"', svg).group(1))
        assert width <= 720, name


def test_no_text_is_clipped_by_the_figure_edge():
    """Constrained layout keeps every label inside the canvas (the clipped 'Chan 2000' of the old layout)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from reanalysis.engine import evaluate_all
    from tests.conftest import DATASETS

    papers = evaluate_all(DATASETS)
    drawn = [figures.cross_study_figure(papers)]
    for p in papers:
        drawn += [figures.paired_figure(c) for c in p.comparisons]
        drawn += [figures.proportions_figure(p.proportions, p.paper)] if p.proportions else []
        drawn += [figures.forest_figure(pooled) for pooled in p.pooled]
    for fig in drawn:
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        drawn_box = fig.get_tightbbox(canvas.get_renderer())  # inches, everything drawn
        width, height = fig.get_size_inches()
        assert drawn_box.x0 >= -0.01 and drawn_box.y0 >= -0.01, fig.get_suptitle() or fig.axes[0].get_title()
        assert drawn_box.x1 <= width + 0.01 and drawn_box.y1 <= height + 0.01, fig.axes[0].get_title()


def test_log_axes_have_plain_number_ticks(svgs):
    forests = [svg for name, svg in svgs.items() if "/forest-" in name]
    assert forests
    for svg in forests:
        assert "10^" not in svg and "\\times" not in svg and "×10" not in svg
        assert ">0.5<" in svg or ">1<" in svg
