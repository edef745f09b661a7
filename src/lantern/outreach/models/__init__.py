"""Awareness campaigns and frontline training: one module per use case."""

from lantern.outreach.models.campaigns import (  # noqa: F401
    Activity,
    Audience,
    Campaign,
    CampaignChannel,
    CampaignStatus,
    Channel,
    Landing,
    LinkVisit,
    Material,
    ReachFigure,
    ReachKind,
)
from lantern.outreach.models.training import (  # noqa: F401
    Answer,
    Attempt,
    Booking,
    Choice,
    Course,
    CourseItem,
    FrontlineRole,
    Question,
    TrainingSector,
    TrainingSession,
    TrainingTopic,
)
