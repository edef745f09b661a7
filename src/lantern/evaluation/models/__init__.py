"""The action plan, KPIs, disclosure control and published figures: one module per use case."""

from lantern.evaluation.models.disclosure import PublishedCell
from lantern.evaluation.models.kpis import Direction, Kpi, PopulationEstimate, Statistic

__all__ = ["Direction", "Kpi", "PopulationEstimate", "PublishedCell", "Statistic"]
