"""Forms of training: courses, the question bank, sessions, bookings, attendance, and the
attendee's assessment. Forms check the shape of what was typed; the services check the
rules and name the field they refuse."""

import re
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lantern.core.forms import GovukFormMixin
from lantern.core.models import Organisation
from lantern.intelligence.forms import SubmittedOnceForm
from lantern.outreach.models.training import (
    TEXT_MAX_LENGTH,
    Booking,
    Delivery,
    FrontlineRole,
    Question,
    QuestionKind,
    TrainingSector,
    TrainingTopic,
)
from lantern.outreach.services.training import (
    LONGEST_COURSE_MINUTES,
    MAX_CAPACITY,
    ChoiceData,
)
from lantern.public.forms import TextField

LARGEST_ID = 2**63 - 1


def _is_id(value: Any) -> bool:
    """A value the database can compare with a primary key (20 digits overflow SQLite)."""
    text = str(value).strip()
    return text.isascii() and text.isdigit() and int(text) <= LARGEST_ID


class IdChoiceField(forms.ModelChoiceField):
    """A model choice refused as an invalid choice, not queried, when it is no id at all."""

    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values and not _is_id(value):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Model choices refused as invalid, not queried, when one is no id at all."""

    def _check_values(self, value: Any) -> Any:
        for each in value:
            if not _is_id(each):
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": each},
                )
        return super()._check_values(value)


DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M"]
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,59}$")


def _number(
    label: str, *, minimum: int, maximum: int, required_message: str, **kwargs: Any
) -> forms.IntegerField:
    message = _("Enter a whole number from %(minimum)s to %(maximum)s") % {
        "minimum": minimum,
        "maximum": maximum,
    }
    return forms.IntegerField(
        label=label,
        min_value=minimum,
        max_value=maximum,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-5"}),
        error_messages={
            "required": required_message,
            "invalid": message,
            "min_value": message,
            "max_value": message,
        },
        **kwargs,
    )


def _datetime(
    label: str, required_message: str = "", *, required: bool = True
) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        help_text=_("Date and time, for example 27/3/2026 09:30."),
        input_formats=DATETIME_FORMATS,
        required=required,
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local", "class": "govuk-input--width-20"},
            format="%Y-%m-%dT%H:%M",
        ),
        error_messages={
            "required": required_message,
            "invalid": _("Enter a real date and time, like 27/3/2026 09:30"),
        },
    )


class CourseForm(GovukFormMixin, SubmittedOnceForm):
    title = TextField(
        label=_("Title"),
        max_length=200,
        required=True,
        error_messages={"required": _("Enter the course title")},
    )
    summary = TextField(label=_("Summary (optional)"), max_length=TEXT_MAX_LENGTH, rows=3)
    topics = IdMultipleChoiceField(
        label=_("Topics"),
        queryset=TrainingTopic.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Select at least one topic"),
            "invalid_choice": _("Select topics from the list"),
            "invalid_pk_value": _("Select topics from the list"),
        },
    )
    sectors = IdMultipleChoiceField(
        label=_("Sectors it is for (optional)"),
        queryset=TrainingSector.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={
            "invalid_choice": _("Select sectors from the list"),
            "invalid_pk_value": _("Select sectors from the list"),
        },
    )
    duration_minutes = _number(
        _("Length in minutes"),
        minimum=1,
        maximum=LONGEST_COURSE_MINUTES,
        required_message=_("Enter the length in minutes"),
    )
    delivery = forms.ChoiceField(
        label=_("Delivery"),
        choices=Delivery.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select in person or online"),
            "invalid_choice": _("Select in person or online"),
        },
    )
    materials = TextField(
        label=_("Materials (optional)"),
        help_text=_("Slides, handouts and links attendees receive."),
        max_length=TEXT_MAX_LENGTH,
        rows=3,
    )
    has_follow_up = forms.BooleanField(
        label=_("Ask attendees what they have done three months later"), required=False
    )


class _CourseItemsFields(forms.Form):
    """The questions each stage asks, chosen from the bank's current versions."""

    pre = IdMultipleChoiceField(
        label=_("Pre-test questions"),
        queryset=Question.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Select at least one question for each test"),
            "invalid_choice": _("Select questions from the list"),
            "invalid_pk_value": _("Select questions from the list"),
        },
    )
    post = IdMultipleChoiceField(
        label=_("Post-test questions"),
        help_text=_("The same questions as the pre-test, or a parallel form."),
        queryset=Question.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Select at least one question for each test"),
            "invalid_choice": _("Select questions from the list"),
            "invalid_pk_value": _("Select questions from the list"),
        },
    )
    follow_up = IdMultipleChoiceField(
        label=_("Follow-up questions (optional)"),
        queryset=Question.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={
            "invalid_choice": _("Select questions from the list"),
            "invalid_pk_value": _("Select questions from the list"),
        },
    )

    def __init__(self, *args: Any, questions: QuerySet[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tests = questions.exclude(kind=QuestionKind.FOLLOW_UP)
        for name in ("pre", "post"):
            self.fields[name].queryset = tests
            self.fields[name].label_from_instance = _question_label
        self.fields["follow_up"].queryset = questions.filter(kind=QuestionKind.FOLLOW_UP)
        self.fields["follow_up"].label_from_instance = _question_label


class CourseItemsForm(GovukFormMixin, _CourseItemsFields):
    """The questions each stage asks."""


def _question_label(question: Question) -> str:
    return f"{question.topic.label}: {question.label}"


class ChoicesField(forms.CharField):
    """Answers, one a line: ``English | French``, a ``*`` before each correct one."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 5}))
        super().__init__(max_length=5000, required=False, **kwargs)

    def clean(self, value: Any) -> list[ChoiceData]:
        text = super().clean(value)
        choices = []
        for number, line in enumerate(
            (line for line in text.splitlines() if line.strip()), start=1
        ):
            line = line.strip()
            correct = line.startswith("*")
            english, separator, french = line.lstrip("*").partition("|")
            if not separator or not english.strip() or not french.strip():
                raise forms.ValidationError(
                    _("Answer %(number)s: write it as English | French") % {"number": number}
                )
            choices.append(
                ChoiceData(
                    name=f"c{number}",
                    text=english.strip(),
                    text_fr=french.strip(),
                    is_correct=correct,
                )
            )
        return choices


class _QuestionFields(forms.Form):
    topic = IdChoiceField(
        label=_("Topic"),
        queryset=TrainingTopic.objects.all(),
        empty_label=_("Select a topic"),
        error_messages={
            "required": _("Select the topic"),
            "invalid_choice": _("Select a topic from the list"),
        },
    )
    key = forms.CharField(
        label=_("Key"),
        help_text=_(
            "A short name that stays the same across versions, like nrm_consent "
            "(lower-case letters, digits and underscores)."
        ),
        max_length=60,
        error_messages={"required": _("Enter the key")},
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=QuestionKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select the kind of question"),
            "invalid_choice": _("Select a kind of question"),
        },
    )
    text = TextField(
        label=_("Question in English"),
        max_length=500,
        required=True,
        error_messages={"required": _("Enter the question in English")},
    )
    text_fr = TextField(
        label=_("Question in French"),
        max_length=500,
        required=True,
        error_messages={"required": _("Enter the question in French")},
    )
    choices = ChoicesField(
        label=_("Answers"),
        help_text=_(
            "One a line, English | French, with * before each correct answer. Leave empty "
            "for a confidence statement."
        ),
    )

    def __init__(self, *args: Any, revising: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if revising:
            del self.fields["topic"]
            del self.fields["key"]

    def clean_key(self) -> str:
        key = self.cleaned_data["key"].strip()
        if not _KEY.match(key):
            raise forms.ValidationError(
                _("Use lower-case letters, digits and underscores, starting with a letter")
            )
        return key


class QuestionForm(GovukFormMixin, _QuestionFields):
    """A question and its answers; revising keeps its topic and key."""


class XlsformUploadForm(GovukFormMixin, forms.Form):
    file = forms.FileField(
        label=_("XLSForm file"),
        help_text=_("An .xlsx file with survey and choices sheets, 2 MB at most."),
        error_messages={
            "required": _("Choose an XLSForm file"),
            "empty": _("The file is empty"),
            "invalid": _("Choose an XLSForm file"),
        },
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file must be 2 MB or smaller"))
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("The file must be an .xlsx spreadsheet"))
        return upload


class _SessionFields(SubmittedOnceForm):
    starts_at = _datetime(_("Starts"), _("Enter when the session starts"))
    ends_at = _datetime(_("Ends"), _("Enter when the session ends"))
    trainer_organisation = IdChoiceField(
        label=_("Trainer’s organisation"),
        queryset=Organisation.objects.none(),
        empty_label=_("Select an organisation"),
        error_messages={
            "required": _("Select the trainer’s organisation"),
            "invalid_choice": _("Select an organisation from the list"),
        },
    )
    trainer_name = TextField(
        label=_("Trainer’s name"),
        max_length=200,
        required=True,
        error_messages={"required": _("Enter the trainer’s name")},
    )
    venue = TextField(label=_("Place (or leave empty for online)"), max_length=300)
    online_link = forms.URLField(
        label=_("Online link (optional)"),
        max_length=500,
        required=False,
        assume_scheme="https",
        error_messages={"invalid": _("Enter a web address, like https://meet.example/abc")},
    )
    capacity = _number(
        _("Capacity"), minimum=1, maximum=MAX_CAPACITY, required_message=_("Enter the capacity")
    )
    pre_opens_at = _datetime(_("Pre-test opens (optional)"), required=False)
    pre_closes_at = _datetime(_("Pre-test closes (optional)"), required=False)
    post_opens_at = _datetime(_("Post-test opens (optional)"), required=False)
    post_closes_at = _datetime(_("Post-test closes (optional)"), required=False)

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["trainer_organisation"].queryset = organisations

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("The end must be after the start"))
        return data


class SessionForm(GovukFormMixin, _SessionFields):
    """A session of a course; the trainer's organisation among active ones."""


class SessionChangeForm(SessionForm):
    """A session's date, trainer, place and capacity; test times have a page of their own."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("submission_key", "pre_opens_at", "pre_closes_at"):
            del self.fields[name]
        del self.fields["post_opens_at"], self.fields["post_closes_at"]


class _StageTimesFields(forms.Form):
    """When each test opens and closes; an empty time keeps the current one."""

    pre_opens_at = _datetime(_("Pre-test opens"), required=False)
    pre_closes_at = _datetime(_("Pre-test closes"), required=False)
    post_opens_at = _datetime(_("Post-test opens"), required=False)
    post_closes_at = _datetime(_("Post-test closes"), required=False)
    follow_up_opens_at = _datetime(_("Follow-up opens"), required=False)
    follow_up_closes_at = _datetime(_("Follow-up closes"), required=False)

    def __init__(self, *args: Any, follow_up: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not follow_up:
            del self.fields["follow_up_opens_at"], self.fields["follow_up_closes_at"]


class StageTimesForm(GovukFormMixin, _StageTimesFields):
    """When each test opens and closes; an empty time keeps the current one."""


class _BookingFields(SubmittedOnceForm):
    organisation = IdChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        empty_label=None,
        error_messages={
            "required": _("Select the organisation"),
            "invalid_choice": _("You can book for your own organisation only"),
        },
    )
    role = IdChoiceField(
        label=_("Their service"),
        queryset=FrontlineRole.objects.all(),
        empty_label=_("Select a service"),
        error_messages={
            "required": _("Select their service"),
            "invalid_choice": _("Select a service from the list"),
        },
    )
    places = _number(
        _("Places"),
        minimum=1,
        maximum=MAX_CAPACITY,
        required_message=_("Enter the number of places"),
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class BookingForm(GovukFormMixin, _BookingFields):
    """Places for one organisation the user may book for."""


class _AttendanceFields(forms.Form):
    """How many came, one field per booking."""

    def __init__(self, *args: Any, bookings: list[Booking], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for booking in bookings:
            self.fields[f"attended_{booking.pk}"] = _number(
                _("%(organisation)s, %(role)s: attended of %(places)s booked")
                % {
                    "organisation": booking.organisation,
                    "role": booking.role,
                    "places": booking.places,
                },
                minimum=0,
                maximum=booking.places,
                required_message=_("Enter how many came, 0 if nobody did"),
                initial=booking.attended,
            )

    def attended(self) -> dict[int, int]:
        return {
            int(name.removeprefix("attended_")): value for name, value in self.cleaned_data.items()
        }


class AttendanceForm(GovukFormMixin, _AttendanceFields):
    """How many came, one field per booking."""


# The attendee's pages (no account).


class CodeForm(GovukFormMixin, forms.Form):
    code = forms.CharField(
        label=_("Session code"),
        help_text=_("The six letters and digits your trainer shows, like K7PD3X."),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "class": "govuk-input--width-10",
                "autocapitalize": "characters",
                "autocomplete": "off",
                "spellcheck": "false",
            }
        ),
        error_messages={"required": _("Enter the session code")},
    )

    def clean_code(self) -> str:
        code = re.sub(r"[\s-]", "", self.cleaned_data["code"]).upper()
        if not code.isalnum() or not code.isascii():
            raise forms.ValidationError(_("Enter the session code as your trainer shows it"))
        return code


class PairingCodeForm(GovukFormMixin, forms.Form):
    pairing_code = forms.CharField(
        label=_("Your pairing code"),
        help_text=_(
            "The code you were given at the pre-test, like K7PD-3XQA. Leave it empty if you "
            "did not take the pre-test."
        ),
        max_length=20,
        required=False,
        widget=forms.TextInput(
            attrs={
                "class": "govuk-input--width-10",
                "autocapitalize": "characters",
                "autocomplete": "off",
                "spellcheck": "false",
            }
        ),
    )

    def clean_pairing_code(self) -> str:
        code = re.sub(r"[\s-]", "", self.cleaned_data["pairing_code"]).upper()
        if not code:
            return ""
        if len(code) != 8 or not code.isalnum() or not code.isascii():
            raise forms.ValidationError(
                _("Enter the pairing code as you were given it, like K7PD-3XQA")
            )
        return f"{code[:4]}-{code[4:]}"


class _AttemptFields(forms.Form):
    """Every question of one stage on one short page."""

    def __init__(self, *args: Any, questions: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for number, question in enumerate(questions, start=1):
            label = _("%(number)s. %(question)s") % {"number": number, "question": question.label}
            name = f"q{question.pk}"
            if question.kind == QuestionKind.CONFIDENCE:
                self.fields[name] = forms.TypedChoiceField(
                    label=label,
                    help_text=_("1 means you strongly disagree, 5 that you strongly agree."),
                    choices=[(value, str(value)) for value in range(1, 6)],
                    coerce=int,
                    widget=forms.RadioSelect,
                    error_messages={
                        "required": _("Question %(number)s: choose how much you agree")
                        % {"number": number},
                        "invalid_choice": _("Question %(number)s: choose from 1 to 5")
                        % {"number": number},
                    },
                )
                continue
            choices = [(str(choice.pk), choice.label) for choice in question.choices.all()]
            multiple = question.kind != QuestionKind.SINGLE
            field_class = forms.TypedMultipleChoiceField if multiple else forms.TypedChoiceField
            self.fields[name] = field_class(
                label=label,
                help_text=_("Select all that apply.") if multiple else "",
                choices=choices,
                coerce=int,
                widget=forms.CheckboxSelectMultiple if multiple else forms.RadioSelect,
                error_messages={
                    "required": _("Question %(number)s: choose an answer") % {"number": number},
                    "invalid_choice": _("Question %(number)s: choose an answer from the list")
                    % {"number": number},
                },
            )

    def answers(self) -> dict[int, list[int] | int]:
        result: dict[int, list[int] | int] = {}
        for question in self.questions:
            value = self.cleaned_data[f"q{question.pk}"]
            if question.kind == QuestionKind.CONFIDENCE:
                result[question.pk] = value
            else:
                result[question.pk] = list(value) if isinstance(value, list) else [value]
        return result


class AttemptForm(GovukFormMixin, _AttemptFields):
    """Every question of one stage on one short page."""


class CertificateForm(GovukFormMixin, forms.Form):
    name = TextField(
        label=_("Your name as it should appear on the certificate"),
        help_text=_("It is printed on the certificate and not kept."),
        max_length=120,
        required=True,
        error_messages={"required": _("Enter your name")},
    )
