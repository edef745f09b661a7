"""What a submitter sends, as typed and before any check: shared by the form, the CSV
import and the API, so that each builds the same thing for the services to check."""

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class MentionData:
    """One thing a report mentions, as the submitter wrote it."""

    kind: str
    role: str
    value: str
    details: str = ""
    date_of_birth: datetime.date | None = None
    nationality: str = ""
