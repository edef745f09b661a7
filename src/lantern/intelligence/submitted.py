"""What a submitter sends, as typed and before any check: shared by the form, the CSV
import and the API, so that each builds the same thing for the services to check (the
mentions in it are ``entities.mentions.MentionData``)."""

import datetime
from dataclasses import dataclass

from lantern.core.models import ExploitationType, Indicator, LocalAuthorityArea, Organisation
from lantern.entities.mentions import MentionData


@dataclass(frozen=True)
class ReportFields:
    """A report as submitted: what the form, the CSV import and the API each build (through
    ``IntelligenceForm.report_fields``), and what the submission service checks and stores.

    ``postcode`` is already normalised; the area is the postcode's unless one was chosen.
    """

    summary: str
    narrative: str
    source_evaluation: str
    intelligence_assessment: str
    handling_code: str
    handling_conditions: str = ""
    shared_with: tuple[Organisation, ...] = ()
    occurred_on: datetime.date | None = None
    location: str = ""
    postcode: str = ""
    area: LocalAuthorityArea | None = None
    exploitation_types: tuple[ExploitationType, ...] = ()
    child_involved: bool = False
    indicators: tuple[Indicator, ...] = ()
    sector: str = ""
    mentions: tuple[MentionData, ...] = ()
