"""Figures, drawn from the engine's records only (never recomputed here), as deterministic SVG.

matplotlib is imported inside the functions so that commands that draw nothing never load it.
"""

from __future__ import annotations

import io
import textwrap

from reanalysis.diagnosis import sig

# Fixed SVG ids, no date and text kept as text: regenerating a figure gives identical bytes.
_RC = {"svg.hashsalt": "reanalysis", "svg.fonttype": "none", "font.size": 9, "axes.spines.top": False,
       "axes.spines.right": False}


def paired_figure(result):
    """A before/after plot of one paired comparison: one line per patient, the mean change with
    its 95% CI, and the p-values of the paper's test and of the two sensitivity tests.

    Parameters
    ----------
    result : reanalysis.engine.ComparisonResult

    Returns
    -------
    matplotlib.figure.Figure
        Axis 0 holds one Line2D per patient (x = 0 before, 1 after) in patient order.
    """
    from matplotlib.figure import Figure

    c, t = result.data.comparison, result.t
    with _rc():
        fig = Figure(figsize=(6.4, 4.0), layout="constrained")
        ax, ax_diff = fig.subplots(1, 2, width_ratios=(3, 1))
        ends = {}
        for key, b, a in zip(result.data.keys, result.data.before, result.data.after):
            ax.plot([0, 1], [b, a], color="0.45", marker="o", markersize=3, linewidth=1)
            ends.setdefault(a, []).append(f"{int(key) if float(key).is_integer() else key}")
        for a, keys in sorted(ends.items()):  # patients sharing an end point share one label
            ax.annotate(",".join(keys), (1, a), xytext=(4, 0), textcoords="offset points", va="center",
                        fontsize=8, color="0.35")
        ax.set_xticks([0, 1], ["before MZR", "on MZR"])
        ax.set_xlim(-0.3, 1.3)
        ax.set_ylabel(c.unit)
        ax.set_title(c.label, fontsize=10, loc="left")
        ax_diff.errorbar([0], [t.mean_difference], yerr=[[t.mean_difference - t.ci_low], [t.ci_high - t.mean_difference]],
                         fmt="s", color="black", capsize=4)
        ax_diff.axhline(0, color="0.6", linewidth=0.8, linestyle="--")
        ax_diff.set_xticks([0], ["mean change\n(95% CI)"])
        ax_diff.set_xlim(-1, 1)
        ax_diff.set_ylabel(f"after - before ({c.unit})")
        _note(fig, f"mean change {sig(t.mean_difference)} (95% CI {sig(t.ci_low)} to {sig(t.ci_high)}), n = {t.n}; "
                   f"paired t-test p = {sig(t.p_value)}; Wilcoxon signed-rank (exact) p = "
                   f"{sig(result.wilcoxon.p_value)}; permutation (exact) p = {sig(result.permutation.p_value)}")
    return fig


def to_svg(fig) -> str:
    """The figure as SVG text without a date, so the same figure always gives the same bytes."""
    buf = io.StringIO()
    with _rc():
        fig.savefig(buf, format="svg", metadata={"Date": None})
    return buf.getvalue()


def _note(fig, text: str) -> None:
    """A footnote under the axes, wrapped to the figure's width and laid out with it (nothing clipped)."""
    width = int(fig.get_figwidth() * 72 / (0.55 * 8))  # characters of 8 pt text per line, with a margin
    fig.supxlabel("\n".join(textwrap.wrap(text, width)), x=0.01, ha="left", fontsize=8)


def _log_ticks(ax, low: float, high: float) -> None:
    """Plain-number ticks (0.5, 1, 2, 5) on a log axis instead of powers of ten, minor ticks unlabelled."""
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullFormatter

    steps = [m * 10.0 ** e for e in range(-3, 4) for m in (1, 2, 5)]
    ticks = [t for t in steps if low <= t <= high] or [1.0]
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{x:g}"))
    ax.xaxis.set_minor_formatter(NullFormatter())


def _rc():
    import matplotlib

    return matplotlib.rc_context(_RC)


def proportions_figure(rows, title: str):
    """Proportions with exact Clopper-Pearson 95% CIs, one row each (reported, ITT, best case).

    Parameters
    ----------
    rows : sequence of reanalysis.engine.ProportionRow
    title : str

    Returns
    -------
    matplotlib.figure.Figure
        Axis 0 holds, per row from the top, one Line2D for the CI (x = [low, high] in %) and
        one for the point estimate (x = [100 k / n]).
    """
    from matplotlib.figure import Figure

    with _rc():
        fig = Figure(figsize=(8.0, 0.9 + 0.45 * len(rows)), layout="constrained")
        ax = fig.subplots()
        for i, row in enumerate(rows):
            y = len(rows) - 1 - i
            p = row.exact
            colour = "black" if row.basis.startswith("as reported") else "0.5"
            ax.plot([100 * p.ci_low, 100 * p.ci_high], [y, y], color=colour, linewidth=1.5)
            ax.plot([100 * p.estimate], [y], marker="s", color=colour, linestyle="none")
        ax.set_yticks(range(len(rows)), [f"{r.label}\n{r.basis}" for r in reversed(rows)], fontsize=8)
        values = ax.secondary_yaxis("right")  # the numbers beside each row, laid out like the labels
        values.set_yticks(range(len(rows)), [f"{r.exact.k}/{r.exact.n} = {100 * r.exact.estimate:.1f}% "
                                             f"({100 * r.exact.ci_low:.1f} to {100 * r.exact.ci_high:.1f})"
                                             for r in reversed(rows)], fontsize=8)
        values.spines["right"].set_visible(False)
        values.tick_params(length=0)
        ax.set_xlim(0, 100)
        ax.set_ylim(-0.6, len(rows) - 0.4)
        ax.set_xlabel("% of patients, exact Clopper-Pearson 95% CI")
        ax.set_title(title, fontsize=10, loc="left")
    return fig


def remission_figure(data):
    """Bars of remission rates by month and series; bars the published text cannot give are drawn
    as hatched outlines labelled 'not recoverable'; bars known only from the text are hatched.

    Returns
    -------
    matplotlib.figure.Figure
        Axis 0 holds one bar patch per item of ``data.items``, in order, with height = percent
        (0 for bars that are not recoverable).
    """
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    series = list(dict.fromkeys(b.series for b in data.items))
    months = sorted({b.month for b in data.items})
    width = 0.8 / len(series)
    with _rc():
        fig = Figure(figsize=(6.4, 3.6), layout="constrained")
        ax = fig.subplots()
        for b in data.items:
            x = months.index(b.month) + (series.index(b.series) - (len(series) - 1) / 2) * width
            colour = f"C{series.index(b.series)}"
            if b.percent is None:
                ax.bar(x, 0, width, color="none")
                ax.text(x, 2, "not\nrecoverable", ha="center", va="bottom", fontsize=8, rotation=90, color="0.4")
            else:
                ax.bar(x, b.percent, width, color=colour if b.source == "patient table" else "none",
                       edgecolor=colour, hatch=None if b.source == "patient table" else "//", label=None)
                ax.text(x, b.percent + 1, f"{b.k}/{b.n}", ha="center", va="bottom", fontsize=8)
        ax.set_xticks(range(len(months)), [f"month {m}" for m in months])
        ax.set_ylim(0, 110)
        ax.set_ylabel("% of patients")
        ax.set_title(data.title, fontsize=10, loc="left")
        handles = [Patch(color=f"C{i}", label=s) for i, s in enumerate(series)]
        ax.legend(handles=handles, fontsize=8, loc="upper left", frameon=False)
        _note(fig, "solid: from the patient table; hatched: printed in the text only; "
              "empty: not recoverable from the published text")
    return fig


def panels_figure(data):
    """Group mean and SD over time per variable, with the printed significance marks; the note says
    that the paper's per-patient lines cannot be regenerated.

    Returns
    -------
    matplotlib.figure.Figure
        One axis per panel; each holds one errorbar line whose data are (months, means).
    """
    from matplotlib.figure import Figure

    n = len(data.items)
    with _rc():
        fig = Figure(figsize=(min(10.0, 2.2 * n), 3.2), layout="constrained")  # 10 in: shown whole in the report
        axes = fig.subplots(1, n)
        for ax, letter, p in zip(axes, "abcdefgh", data.items):
            ax.errorbar(p.months, p.means, yerr=p.sds, fmt="o-", color="black", capsize=3, markersize=3)
            for m, y, s, mark in zip(p.months, p.means, p.sds, p.marks):
                if mark:
                    ax.text(m, y + s, mark, ha="center", va="bottom", fontsize=8)
            ax.set_xticks(p.months)
            ax.set_xlabel("month")
            ax.set_title(f"({letter}) {p.variable}", fontsize=8, loc="left")
            ax.set_ylabel(p.unit, fontsize=8)
        fig.suptitle(data.title, fontsize=10, x=0.01, ha="left")
        _note(fig, "Group mean and SD from Table 2 (* P<0.05, ** P<0.01). The published panels draw one "
              "line per patient; per-patient values are not printed, so those lines cannot be regenerated.")
    return fig


def reconstruction_figure(data):
    """For each summary row, how many of its n values take each whole value, averaged over the samples that fit
    its printed mean, SD and range (:func:`reanalysis.samples.distribution`).

    Returns
    -------
    matplotlib.figure.Figure
        One axis per row; each holds one bar container whose bars are the row's values.
    """
    from matplotlib.figure import Figure

    n = len(data.items)
    with _rc():
        fig = Figure(figsize=(max(6.0, 2.6 * n), 3.2), layout="constrained")  # one row alone still fits its caption
        axes = fig.subplots(1, n, squeeze=False)[0]
        for ax, letter, d in zip(axes, "abcdefgh", data.items):
            ax.bar(d.values, d.per_sample, width=0.8 if len(d.values) < 30 else 1.0, color="0.35")
            ax.set_title(f"({letter}) {d.row}\n{d.printed}", fontsize=8, loc="left")
            ax.set_xlabel(f"value ({d.samples:,} sample{'s' if d.samples != 1 else ''})", fontsize=8)
            ax.set_ylabel("values per sample", fontsize=8)
        fig.suptitle(data.title, fontsize=10, x=0.01, ha="left")
        _note(fig, "Every sample of whole numbers whose mean and SD round to the printed ones and whose "
              "minimum and maximum are the printed range (exhaustive enumeration).")
    return fig


def cross_study_figure(papers):
    """Every proportion the papers report, forest-style with exact Clopper-Pearson 95% CIs, grouped
    by disease and regimen; filled squares are rates as reported, hollow circles intention-to-treat
    (withdrawals as failures), crosses the best case (withdrawals as successes).

    Returns
    -------
    matplotlib.figure.Figure
        Axis 0 holds, per row from the top, one Line2D for the CI and one for the estimate (x in %).
    """
    from matplotlib.figure import Figure

    rows = sorted(((r.disease, r.regimen, p.paper, i, r) for p in papers for i, r in enumerate(p.proportions)),
                  key=lambda t: (t[0], t[1], t[2], t[3]))
    labels, y, groups = [], 0, []
    with _rc():
        fig = Figure(figsize=(10.0, 1.2 + 0.3 * (len(rows) + 2 * len({(d, g) for d, g, *_ in rows}))), layout="constrained")
        ax = fig.subplots()
        previous = None
        for disease, regimen, paper, _, r in rows:
            if (disease, regimen) != previous:
                groups.append((y, f"{disease} \u2014 {regimen}"))
                y += 1
                previous = (disease, regimen)
            p = r.exact
            style = ({"marker": "s", "color": "black"} if r.basis.startswith("as reported") else
                     {"marker": "o", "color": "0.35", "markerfacecolor": "white"} if r.basis.startswith("ITT") else
                     {"marker": "x", "color": "0.55"})
            ax.plot([100 * p.ci_low, 100 * p.ci_high], [-y, -y], color=style["color"], linewidth=1.2)
            ax.plot([100 * p.estimate], [-y], linestyle="none", **style)
            labels.append((-y, f"{paper}: {r.label}, {r.basis}"))
            y += 1
        ticks = sorted([(-gy, text, True) for gy, text in groups] + [(t, text, False) for t, text in labels], reverse=True)
        ax.set_yticks([t for t, _, _ in ticks], [text for _, text, _ in ticks], fontsize=8)
        for label, (_, _, group) in zip(ax.get_yticklabels(), ticks):  # a group's heading, in bold, among the rows
            label.set_fontweight("bold" if group else "normal")
        ax.set_xlim(0, 100)
        ax.set_ylim(-y + 0.4, 0.6)
        ax.set_xlabel("% of patients, exact 95% CI\nsquare: as reported; circle: ITT; cross: best case", fontsize=8)
        ax.set_title("Remission and response proportions across the sources", fontsize=10, loc="left")
    return fig


def forest_figure(pooled):
    """Forest plot of each trial's risk ratio (log-scale 95% CI) and the pooled fixed-effect,
    DerSimonian-Laird and Paule-Mandel estimates, on a log axis.

    Returns
    -------
    matplotlib.figure.Figure
        Axis 0 holds, per row from the top, one Line2D for the CI and one for the estimate.
    """
    from matplotlib.figure import Figure

    rows = [(f"{t.label}: {t.k1}/{t.n1} vs {t.k2}/{t.n2}", t.rr) for t in pooled.trials]
    p = pooled.pooled
    rows += [(f"pooled, {r.method}", r) for r in p.estimates]
    with _rc():
        fig = Figure(figsize=(8.0, 1.4 + 0.35 * len(rows)), layout="constrained")
        ax = fig.subplots()
        for i, (label, r) in enumerate(rows):
            y = -i
            diamond = label.startswith("pooled")
            ax.plot([r.ci_low, r.ci_high], [y, y], color="black", linewidth=1.2)
            ax.plot([r.estimate], [y], marker="D" if diamond else "s", color="black", linestyle="none")
        ax.axvline(1, color="0.6", linewidth=0.8, linestyle="--")
        ax.set_xscale("log")
        _log_ticks(ax, min(min(r.ci_low for _, r in rows), 1.0), max(max(r.ci_high for _, r in rows), 1.0))
        ax.set_yticks([-i for i in range(len(rows))], [label for label, _ in rows], fontsize=8)
        values = ax.secondary_yaxis("right")
        values.set_yticks([-i for i in range(len(rows))], [f"{sig(r.estimate)} ({sig(r.ci_low)} to {sig(r.ci_high)})"
                                                           for _, r in rows], fontsize=8)
        values.spines["right"].set_visible(False)
        values.tick_params(length=0)
        ax.set_xlabel("risk ratio, MMF (or multitarget) / comparator, 95% CI (log scale)", fontsize=8)
        _note(fig, f"Heterogeneity: Q = {p.q:.2f}, I\u00b2 = {100 * p.i2:.0f}%, \u03c4\u00b2 = {p.tau2_dl:.3f} (DL), "
                   f"{p.tau2_pm:.3f} (PM), {p.tau2_reml:.3f} (REML).")
        fig.suptitle(pooled.label, fontsize=10, x=0.01, ha="left")
    return fig
