"""Charts as SVG drawn on the server from a figure (``{"title", "columns", "rows"}``),
the same markup on the page and in the PDF. Every value is also written as text in
the chart, and the page and PDF show the figure's table beside it, so nothing is told
by colour alone and screen readers get the table (the SVG is ``role="img"``, named by
its title and a pointer to the table; in the PDF its ``<title>`` becomes the
figure's alternative text).

Three shapes cover the figures: ``bar`` (a label and one number per row),
``stacked`` (a label and several counts that add up) and ``grid`` (rows × columns of
values, e.g. kommun × area, shaded by value); ``pivot`` turns (year, label, value)
rows into a grid first.
"""

from __future__ import annotations

from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

WIDTH = 640
#: The statistics page draws across the content column of a desktop screen.
PAGE_WIDTH = 1040
LABEL_WIDTH = 200
ROW = 26
PALETTE = ["#1d5b8f", "#6a9fcb", "#b8462f", "#4d7a3a"]
TEXT = "#1a1a1a"


def _number(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")
    return str(value)


def _label(text: Any, limit: int = 28) -> str:
    """A row label that fits left of the bars (the table beside has it in full)."""
    text = str(text)
    return escape(text if len(text) <= limit else text[: limit - 1] + "…")


def _wrapped(text: Any, x: float, *, width: int, lines: int = 3) -> str:
    """A column heading broken into lines of at most ``width`` characters."""
    rows: list[str] = []
    for word in str(text).split():
        if rows and len(rows[-1]) + 1 + len(word) <= width:
            rows[-1] += f" {word}"
        else:
            rows.append(word[:width])
    if len(rows) > lines:
        rows = [*rows[: lines - 1], rows[lines - 1][: width - 1] + "…"]
    return "".join(
        f'<tspan x="{x:.1f}" dy="{0 if i == 0 else 11}">{escape(row)}</tspan>'
        for i, row in enumerate(rows)
    )


def _svg(title: str, height: int, body: list[str], *, width: int = WIDTH) -> SafeString:
    label = escape(_("%(title)s. The figures are in the table below.") % {"title": title})
    return mark_safe(  # noqa: S308 - every text in ``body`` went through escape()
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" aria-label="{label}" '
        f'font-family="Portal Sans, DejaVu Sans, sans-serif" font-size="12">'
        f"<title>{label}</title>{''.join(body)}</svg>"
    )


def bar(
    title: str, rows: list[list[Any]], *, max_value: float | None = None, width: int = WIDTH
) -> SafeString:
    values = [float(r[1]) if r[1] is not None else 0.0 for r in rows]
    top = max_value or max(values, default=0.0) or 1.0
    span = width - LABEL_WIDTH - 50
    body = []
    for i, (row, value) in enumerate(zip(rows, values, strict=True)):
        y = i * ROW + 4
        length = span * value / top
        body.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 15}" text-anchor="end" fill="{TEXT}">'
            f"{_label(row[0])}</text>"
            f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{length:.1f}" height="{ROW - 8}" '
            f'fill="{PALETTE[0]}"/>'
            f'<text x="{LABEL_WIDTH + length + 4:.1f}" y="{y + 15}" fill="{TEXT}">'
            f"{escape(_number(row[1]))}</text>"
        )
    return _svg(title, max(len(rows), 1) * ROW + 8, body, width=width)


def stacked(
    title: str, columns: list[str], rows: list[list[Any]], *, width: int = WIDTH
) -> SafeString:
    series = columns[1:]
    totals = [sum(v or 0 for v in r[1:]) for r in rows]
    top = float(max(totals, default=0) or 1)
    span = width - LABEL_WIDTH - 90
    body = []
    legend_x = float(LABEL_WIDTH)
    for s, name in enumerate(series):  # the legend, each entry as wide as its text
        body.append(
            f'<rect x="{legend_x}" y="4" width="12" height="12" '
            f'fill="{PALETTE[s % len(PALETTE)]}"/>'
            f'<text x="{legend_x + 16}" y="14" fill="{TEXT}">{escape(name)}</text>'
        )
        legend_x += 30 + 6.8 * len(str(name))
    for i, row in enumerate(rows):
        y = (i + 1) * ROW + 4
        body.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 15}" text-anchor="end" fill="{TEXT}">'
            f"{_label(row[0])}</text>"
        )
        x = float(LABEL_WIDTH)
        for s, value in enumerate(row[1:]):
            length = span * (value or 0) / top
            if length:
                body.append(
                    f'<rect x="{x:.1f}" y="{y + 3}" width="{length:.1f}" height="{ROW - 8}" '
                    f'fill="{PALETTE[s % len(PALETTE)]}"/>'
                )
            x += length
        body.append(
            f'<text x="{x + 4:.1f}" y="{y + 15}" fill="{TEXT}">'
            f"{escape(' + '.join(_number(v) for v in row[1:]))}</text>"
        )
    return _svg(title, (len(rows) + 1) * ROW + 8, body, width=width)


def grid(
    title: str,
    columns: list[str],
    rows: list[list[Any]],
    *,
    max_value: float | None = None,
    width: int = WIDTH,
) -> SafeString:
    """Rows × columns of values, each cell shaded by its value and labelled with it."""
    cells = [v for r in rows for v in r[1:] if v is not None]
    top = float(max_value or max(cells, default=0) or 1)
    count = max(len(columns) - 1, 1)
    label_width = 120
    cell = (width - label_width) / count
    header = 44
    body = []
    for c, name in enumerate(columns[1:]):
        x = label_width + c * cell + cell / 2
        body.append(
            f'<text y="10" text-anchor="middle" fill="{TEXT}" font-size="9.5">'
            f"{_wrapped(name, x, width=max(int(cell / 6), 4))}</text>"
        )
    for i, row in enumerate(rows):
        y = header + i * ROW
        body.append(
            f'<text x="{label_width - 6}" y="{y + 17}" text-anchor="end" fill="{TEXT}">'
            f"{_label(row[0], 16)}</text>"
        )
        for c, value in enumerate(row[1:]):
            x = label_width + c * cell
            share = (float(value) / float(top)) if value is not None else 0.0
            fill = "#eeeeee" if value is None else _shade(share)
            ink = "#ffffff" if share > 0.55 else TEXT
            body.append(
                f'<rect x="{x + 1:.1f}" y="{y + 1}" width="{cell - 2:.1f}" height="{ROW - 2}" '
                f'fill="{fill}"/>'
                f'<text x="{x + cell / 2:.1f}" y="{y + 17}" text-anchor="middle" '
                f'fill="{ink}">{escape(_number(value))}</text>'
            )
    return _svg(title, header + max(len(rows), 1) * ROW + 4, body, width=width)


def _shade(share: float) -> str:
    """From a pale to the dark blue of the palette; the value is printed on it too."""
    low, high = (222, 235, 247), (29, 91, 143)
    share = min(max(share, 0.0), 1.0)
    r, g, b = (round(lo + (hi - lo) * share) for lo, hi in zip(low, high, strict=True))
    return f"#{r:02x}{g:02x}{b:02x}"


def pivot(columns: list[str], rows: list[list[Any]]) -> tuple[list[str], list[list[Any]]]:
    """(first, second, value) rows → a grid with a row per ``first`` and a column per
    ``second``: years down, areas or kommuner across."""
    across = sorted({str(r[1]) for r in rows})
    down: dict[Any, dict[str, Any]] = {}
    for first, second, value, *_rest in rows:
        down.setdefault(first, {})[str(second)] = value
    return [columns[0], *across], [[k, *[v.get(a) for a in across]] for k, v in down.items()]


def chart(
    figure: dict[str, Any], kind: str, *, max_value: float | None = None, width: int = WIDTH
) -> SafeString:
    title, columns, rows = figure["title"], figure["columns"], figure["rows"]
    if kind == "stacked":
        return stacked(title, columns, rows, width=width)
    if kind == "grid":
        return grid(title, columns, rows, max_value=max_value, width=width)
    if kind == "pivot":
        across, grid_rows = pivot(columns, rows)
        return grid(title, across, grid_rows, max_value=max_value, width=width)
    return bar(title, rows, max_value=max_value, width=width)


#: How each figure of the report and the statistics page is drawn.
REPORT_CHARTS: dict[str, tuple[str, float | None]] = {
    "meetings": ("bar", None),
    "attendance": ("stacked", None),
    "decisions": ("bar", None),
    "activities": ("bar", None),
    "assessments": ("grid", 4),
    "assessment_averages": ("bar", 4),
    "priorities": ("bar", None),
}
STATISTICS_CHARTS: dict[str, tuple[str, float | None]] = {
    "meetings": ("bar", None),
    "decisions": ("pivot", None),
    "attendance": ("pivot", None),
    "dialogues": ("stacked", None),
    "recommendations": ("stacked", None),
    "assessments": ("pivot", 4),
}


def figures_with_charts(
    figures: dict[str, dict[str, Any]],
    kinds: dict[str, tuple[str, float | None]],
    *,
    width: int = WIDTH,
) -> list[dict[str, Any]]:
    """The figures in display order, each with its key and its chart (drawn ``width``
    units wide: the page's full-width charts are wider than the PDF's, at the same
    size of text)."""
    shown = []
    for key, (kind, max_value) in kinds.items():
        if key in figures:
            figure = figures[key]
            svg = chart(figure, kind, max_value=max_value, width=width)
            shown.append({**figure, "key": key, "svg": svg})
    return shown
