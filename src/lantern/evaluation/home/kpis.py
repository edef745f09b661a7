"""The headline KPIs on the hub coordinator's and board viewer's home pages."""

from typing import Any

from lantern.core import access, home
from lantern.core.models import User
from lantern.evaluation import periods
from lantern.evaluation.presenters import kpis as presenters
from lantern.evaluation.selectors import kpis as selectors

TEMPLATE = "evaluation/kpis/home_panel.html"


def context(user: User) -> dict[str, Any] | None:
    """Headline figures for the last complete year, as the user may see them."""
    if not access.can_view_kpis(user):
        return None
    year = periods.last_complete_year()
    lines = []
    for kpi in selectors.headline_kpis(user):
        result = selectors.kpi_result(user, kpi, year=year, release="home page")
        lines.append(presenters.detail(result))
    return {
        "year": year,
        "lines": lines,
        "controlled": access.sees_controlled_figures(user),
        "controlled_notice": presenters.controlled_notice(),
        "can_board_pack": access.can_generate_board_pack(user),
    }


def register() -> None:
    home.register(template=TEMPLATE, context=context, order=50)
