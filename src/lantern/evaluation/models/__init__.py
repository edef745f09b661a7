"""The action plan, KPIs, disclosure control and published figures: one module per use case."""

from lantern.evaluation.models.action_plan import (  # noqa: F401
    Action,
    ActionStatus,
    ActionUpdate,
    Evidence,
    EvidenceKind,
    Objective,
    Pillar,
    Rag,
    UpdateKind,
)
from lantern.evaluation.models.disclosure import PublishedCell  # noqa: F401
from lantern.evaluation.models.kpis import (  # noqa: F401
    Direction,
    Kpi,
    PopulationEstimate,
    Statistic,
)
