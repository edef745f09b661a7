"""The link chart as files other tools read: GraphML (Gephi, yEd, networkx) and a CSV of
links that i2 Analyst's Notebook imports (one row per link, both ends' identity, type and
label, the link's label; map the columns once in i2's import specification).

Both are written from a ``chart.Chart``, which holds only what the viewer may read; the
views audit each export.
"""

import csv
import io
from xml.sax.saxutils import escape, quoteattr

from lantern.core.csv_files import escape_cell
from lantern.entities.chart import Chart

I2_COLUMNS = (
    "Entity1 Identity",
    "Entity1 Type",
    "Entity1 Label",
    "Entity2 Identity",
    "Entity2 Type",
    "Entity2 Label",
    "Link Label",
    "Link Roles",
    "Link Count",
    "First Date",
    "Last Date",
    "Reports",
)


def i2_csv(chart: Chart) -> str:
    """One row per link; cells a spreadsheet would run as formulas are neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(I2_COLUMNS)
    for link in chart.link_list():
        first, second = chart.nodes[link.source], chart.nodes[link.target]
        writer.writerow(
            [
                escape_cell(cell)
                for cell in (
                    f"lantern-{first.pk}",
                    first.kind_label,
                    first.label,
                    f"lantern-{second.pk}",
                    second.kind_label,
                    second.label,
                    link.label,
                    link.roles_label,
                    link.count,
                    link.first_date.isoformat(),
                    link.last_date.isoformat(),
                    " ".join(report.reference for report in link.ordered_reports),
                )
            ]
        )
    return out.getvalue()


_GRAPHML_KEYS = (
    ("label", "node", "string"),
    ("kind", "node", "string"),
    ("label", "edge", "string"),
    ("roles", "edge", "string"),
    ("count", "edge", "int"),
    ("first", "edge", "string"),
    ("last", "edge", "string"),
    ("reports", "edge", "string"),
)


def graphml(chart: Chart) -> str:
    """The chart as GraphML: nodes with label and kind, edges with label, roles, count,
    dates and references."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
    ]
    lines += [
        f'  <key id="{scope[0]}_{name}" for="{scope}" attr.name="{name}" attr.type="{kind}"/>'
        for name, scope, kind in _GRAPHML_KEYS
    ]
    lines.append('  <graph id="lantern" edgedefault="undirected">')
    for node in chart.node_list():
        lines.append(
            f'    <node id="e{node.pk}"><data key="n_label">{escape(node.label)}</data>'
            f'<data key="n_kind">{escape(node.kind)}</data></node>'
        )
    for link in chart.link_list():
        values = {
            "label": link.label,
            "roles": link.roles_label,
            "count": str(link.count),
            "first": link.first_date.isoformat(),
            "last": link.last_date.isoformat(),
            "reports": " ".join(report.reference for report in link.ordered_reports),
        }
        data = "".join(
            f'<data key="e_{name}">{escape(value)}</data>' for name, value in values.items()
        )
        lines.append(
            f"    <edge id={quoteattr(f'l{link.source}-{link.target}')} "
            f'source="e{link.source}" target="e{link.target}">{data}</edge>'
        )
    lines += ["  </graph>", "</graphml>", ""]
    return "\n".join(lines)
