"""Every write of training: one function per use case, each in a transaction, audited.

Staff writes check the access policy themselves (``can_manage_training``,
``can_book_training_for``), so no path — a view, a script, an import — changes what its
caller may not. Invalid input is refused as a whole with a ``ValidationError`` naming the
field; nothing is half-saved.

Attendees' answers (``submit_attempt``) come from people without an account: they are
stored under a pairing code only, and are not written to the audit log, whose entries
carry the sender's address and would put a place to one person's answers.
"""

from lantern.outreach.services.training_attempts import (  # noqa: F401
    new_pairing_code,
    stage_is_open,
    submit_attempt,
)
from lantern.outreach.services.training_checks import (  # noqa: F401
    LONGEST_COURSE_MINUTES,
    MAX_CAPACITY,
)
from lantern.outreach.services.training_courses import (  # noqa: F401
    ChoiceData,
    QuestionData,
    add_question,
    check_question,
    create_course,
    import_questions,
    revise_question,
    set_course_items,
)
from lantern.outreach.services.training_sessions import (  # noqa: F401
    StageWindows,
    book_places,
    change_session,
    create_session,
    new_session_code,
    record_attendance,
    set_stage_windows,
)
