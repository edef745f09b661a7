"""Charts drawn on the server as SVG (Vega-Altair, rendered by vl-convert without a browser).

Every chart has a title that states the finding and sits beside a table of the same
numbers in the page, so nothing depends on JavaScript or on seeing the chart.
"""

import json
import re
import threading
from functools import lru_cache
from typing import Any

import altair as alt
import vl_convert
from django.utils.html import escape

BAR_COLOUR = "#1d70b8"  # GOV.UK blue
TEXT_COLOUR = "#0b0c0c"
FONT = "Arial"
_INNER_ARIA = re.compile(r'\s(?:role="graphics-[a-z-]+"|aria-(?:roledescription|label)="[^"]*")')


@lru_cache(maxsize=256)
def _render(spec: str) -> str:
    return vl_convert.vegalite_to_svg(json.loads(spec))


_WARM_UP_SPEC = {"mark": "bar", "data": {"values": [{"value": 1}]}, "encoding": {}}


def warm_up() -> None:
    """Start vl-convert's JavaScript engine now rather than on the first chart asked for.

    Its first rendering in a process starts a V8 runtime and loads Vega, seconds of work
    (2.5 s measured here, about 10 s on a busy machine) that would otherwise fall on the
    first person to open a page with a chart after each start of a web or worker process.
    """
    vl_convert.vegalite_to_svg(_WARM_UP_SPEC)


def warm_up_in_background() -> threading.Thread:
    """``warm_up`` in a thread of its own, so that the process serves meanwhile; a chart
    asked for before it ends waits for the engine as it would have anyway."""
    thread = threading.Thread(target=warm_up, name="chart-warm-up", daemon=True)
    thread.start()
    return thread


def bar_chart(
    rows: list[dict[str, Any]],
    *,
    title: str,
    subtitle: str = "",
    axis_title: str = "",
    width: int = 560,
    height: int = 220,
) -> str:
    """An SVG bar chart of ``rows`` (``label``, ``value``; a None value draws no bar)."""
    data = [
        {"order": index, "label": row["label"], "value": row["value"]}
        for index, row in enumerate(rows)
    ]
    chart = (
        alt.Chart(alt.Data(values=data))
        .mark_bar(color=BAR_COLOUR)
        .encode(
            x=alt.X("label:N", sort=alt.SortField("order"), title=None),
            y=alt.Y("value:Q", title=axis_title or alt.Undefined),
        )
        .properties(
            width=width,
            height=height,
            title=alt.TitleParams(text=title, subtitle=subtitle or alt.Undefined, anchor="start"),
        )
        .configure(font=FONT, aria=False)
        .configure_axis(labelColor=TEXT_COLOUR, titleColor=TEXT_COLOUR, labelLimit=120)
        .configure_title(color=TEXT_COLOUR, fontSize=15, subtitleColor=TEXT_COLOUR)
        .configure_view(stroke=None)
    )
    # Vega marks its groups as ARIA graphics, some without a name; the chart is one image
    # named by its title (and read as the table beside it), so those roles are removed.
    svg = _INNER_ARIA.sub("", _render(json.dumps(chart.to_dict(), sort_keys=True)))
    # The figure's caption and table carry the numbers; the SVG is one labelled image.
    label = escape(f"{title}. {subtitle}" if subtitle else title)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{label}" focusable="false" ', 1)


COUNTERFACTUAL_COLOUR = "#505a5f"  # GOV.UK dark grey
OBSERVED_COLOUR = "#0b0c0c"
START_COLOUR = "#d4351c"  # GOV.UK red


def effect_chart(
    weeks: list[dict[str, Any]],
    *,
    start: str,
    title: str,
    subtitle: str = "",
    labels: dict[str, str],
    axis_title: str = "",
    width: int = 620,
    height: int = 260,
) -> str:
    """An SVG chart of a campaign's effect: weekly counts as points, the fitted line, the
    counterfactual (dashed) and a rule at the campaign's start.

    ``weeks`` holds ``week`` (ISO date), ``observed``, ``fitted`` and ``counterfactual``
    (None: not drawn); ``labels`` names the three series in the reader's language.
    """
    lines = [
        {"week": row["week"], "series": labels[name], "value": row[name]}
        for row in weeks
        for name in ("fitted", "counterfactual")
        if row[name] is not None
    ]
    points = [
        {"week": row["week"], "series": labels["observed"], "value": row["observed"]}
        for row in weeks
        if row["observed"] is not None
    ]
    colour = alt.Scale(
        domain=[labels["observed"], labels["fitted"], labels["counterfactual"]],
        range=[OBSERVED_COLOUR, BAR_COLOUR, COUNTERFACTUAL_COLOUR],
    )
    x = alt.X("week:T", title=None)
    y = alt.Y("value:Q", title=axis_title or alt.Undefined)
    legend = alt.Color("series:N", scale=colour, title=None, legend=alt.Legend(orient="bottom"))
    layers = [
        alt.Chart(alt.Data(values=points))
        .mark_circle(size=18, opacity=0.7)
        .encode(x=x, y=y, color=legend),
        alt.Chart(alt.Data(values=lines))
        .mark_line(strokeWidth=2)
        .encode(
            x=x,
            y=y,
            color=legend,
            strokeDash=alt.StrokeDash(
                "series:N",
                scale=alt.Scale(
                    domain=[labels["fitted"], labels["counterfactual"]], range=[[1, 0], [6, 4]]
                ),
                legend=None,
            ),
        ),
        alt.Chart(alt.Data(values=[{"start": start}]))
        .mark_rule(color=START_COLOUR, strokeWidth=2)
        .encode(x="start:T"),
    ]
    chart = (
        alt.layer(*layers)
        .properties(
            width=width,
            height=height,
            title=alt.TitleParams(text=title, subtitle=subtitle or alt.Undefined, anchor="start"),
        )
        .configure(font=FONT, aria=False)
        .configure_axis(labelColor=TEXT_COLOUR, titleColor=TEXT_COLOUR, labelLimit=120)
        .configure_legend(labelColor=TEXT_COLOUR)
        .configure_title(color=TEXT_COLOUR, fontSize=15, subtitleColor=TEXT_COLOUR)
        .configure_view(stroke=None)
    )
    svg = _INNER_ARIA.sub("", _render(json.dumps(chart.to_dict(), sort_keys=True)))
    label = escape(f"{title}. {subtitle}" if subtitle else title)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{label}" focusable="false" ', 1)
