"""The questions of the report form, one form per page, in GOV.UK markup.

Every field has a maximum length and refuses text with control characters (binary
pasted into a box), so nothing unreadable or unbounded is ever stored.
"""

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from lantern.core import normalisers
from lantern.core.forms import GovukFormMixin
from lantern.core.models import ExploitationType, Indicator, LocalAuthorityArea
from lantern.core.text import is_unreadable
from lantern.public.models import ChildrenInvolved, HeardFrom
from lantern.public.photos import MAX_PHOTOS

NOT_SURE = "not_sure"
YES_NO = [("yes", _("Yes")), ("no", _("No"))]
# Answers kept as lists but typed as one comma-separated box.
_JOINED = {"vehicle_registrations", "phone_numbers"}
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def readable_text(value: str) -> None:
    """Refuse control characters and text no encoding can store (core/text.py)."""
    if _CONTROL_CHARACTERS.search(value) or is_unreadable(value):
        raise ValidationError(
            _("Remove the unreadable characters. Type or paste plain text only."),
            code="unreadable",
        )


class TextField(forms.CharField):
    """A bounded plain-text field with a GOV.UK error message for its length."""

    def __init__(self, *, max_length: int, rows: int = 0, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("validators", [readable_text])
        if rows:
            kwargs.setdefault("widget", forms.Textarea(attrs={"rows": rows}))
        super().__init__(max_length=max_length, **kwargs)
        self.error_messages["max_length"] = format_lazy(
            _("{label} must be {limit} characters or fewer"),
            label=kwargs.get("label", ""),
            limit=max_length,
        )


def _choices(model: type[Indicator] | type[ExploitationType]) -> Any:
    return lambda: [(entry.code, entry.label) for entry in model.objects.all()]


class ReportForm(GovukFormMixin, forms.Form):
    """One page of the report form. ``title`` is the page's heading."""

    title: Any = ""

    def answers(self) -> dict[str, Any]:
        """What the draft keeps of this page (JSON-serialisable)."""
        return dict(self.cleaned_data)

    @classmethod
    def initial_from(cls, answers: dict[str, Any] | None) -> dict[str, Any]:
        """The page's fields filled in again from what the draft kept."""
        return {
            name: ", ".join(value) if isinstance(value, list) and name in _JOINED else value
            for name, value in (answers or {}).items()
        }


class DangerForm(ReportForm):
    title = _("Is anyone in immediate danger?")
    immediate_danger = forms.ChoiceField(
        label=_("Is anyone in immediate danger?"),
        help_text=_("For example, someone is being hurt or locked in right now."),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select yes if anyone is in immediate danger")},
    )


class WhatHappenedForm(ReportForm):
    title = _("What did you see or hear?")
    what_happened = TextField(
        label=_("What did you see or hear?"),
        help_text=_("Tell us what made you worried, in your own words and your own language."),
        max_length=5000,
        rows=8,
        required=True,
        error_messages={"required": _("Enter what you saw or heard")},
    )


class SignsForm(ReportForm):
    title = _("Did you notice any of these signs?")
    indicators = forms.MultipleChoiceField(
        label=_("Did you notice any of these signs?"),
        help_text=_("Select all that apply. Leave them empty if you are not sure."),
        choices=_choices(Indicator),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class ExploitationForm(ReportForm):
    title = _("What do you think is happening?")
    suspected_types = forms.MultipleChoiceField(
        label=_("What kind of exploitation do you think it is?"),
        help_text=_("Select all that apply."),
        choices=lambda: [
            *_choices(ExploitationType)(),
            (NOT_SURE, _("I’m not sure")),
        ],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    children_involved = forms.ChoiceField(
        label=_("Could any of the people be under 18?"),
        choices=ChildrenInvolved.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select whether any of the people could be under 18")},
    )

    def clean_suspected_types(self) -> list[str]:
        chosen = self.cleaned_data["suspected_types"]
        if NOT_SURE in chosen and len(chosen) > 1:
            raise ValidationError(
                _("Select the kinds of exploitation, or select ‘I’m not sure’, not both")
            )
        return chosen


class WhereForm(ReportForm):
    title = _("Where did this happen?")
    location = TextField(
        label=_("Address or description of the place"),
        help_text=_("For example, the name of the street, a shop or a landmark nearby."),
        max_length=1000,
        rows=3,
        required=True,
        error_messages={"required": _("Enter the address or describe the place")},
    )
    postcode = TextField(
        label=_("Postcode (optional)"),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "spellcheck": "false"}),
    )

    def clean_postcode(self) -> str:
        value = self.cleaned_data["postcode"].strip()
        if not value:
            return ""
        postcode = normalisers.normalise_postcode(value)
        if postcode is None:
            raise ValidationError(_("Enter a real UK postcode, like LE1 5AB, or leave it empty"))
        return postcode


class WhenForm(ReportForm):
    title = _("When did this happen?")
    when = TextField(
        label=_("When did this happen? (optional)"),
        help_text=_("For example, ‘last Tuesday around 6am’ or ‘every evening this month’."),
        max_length=500,
        rows=2,
    )


class PeopleForm(ReportForm):
    title = _("People, vehicles and businesses")
    people = TextField(
        label=_("Describe the people involved (optional)"),
        help_text=_("How many, what they look like, what they were doing, any names."),
        max_length=3000,
        rows=4,
    )
    vehicles = TextField(
        label=_("Describe any vehicles (optional)"),
        help_text=_("Make, colour, type, such as ‘white minibus’."),
        max_length=1000,
        rows=2,
    )
    vehicle_registrations = TextField(
        label=_("Vehicle registration numbers (optional)"),
        help_text=_("Separate several with commas."),
        max_length=200,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocapitalize": "characters"}),
    )
    phone_numbers = TextField(
        label=_("Phone numbers (optional)"),
        help_text=_("Separate several with commas."),
        max_length=300,
        widget=forms.TextInput(attrs={"spellcheck": "false", "inputmode": "tel"}),
    )
    business_name = TextField(label=_("Name of the business (optional)"), max_length=200)

    def clean_vehicle_registrations(self) -> list[str]:
        return self._split(
            "vehicle_registrations",
            normalisers.normalise_registration,
            _("%(value)s is not a vehicle registration. Check it, or leave it out"),
        )

    def clean_phone_numbers(self) -> list[str]:
        return self._split(
            "phone_numbers",
            normalisers.normalise_phone_number,
            _("%(value)s is not a phone number. Check it, or leave it out"),
        )

    def _split(self, name: str, normalise: Any, message: str) -> list[str]:
        values = []
        for part in re.split(r"[,;\n]+", self.cleaned_data[name]):
            if not part.strip():
                continue
            value = normalise(part)
            if value is None:
                raise ValidationError(message % {"value": part.strip()})
            if value not in values:
                values.append(value)
        return values


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input (the pattern in Django's file-upload documentation)."""

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data]
        cleaned = []
        for file in files:
            upload = super().clean(file, initial)
            if upload:
                cleaned.append(upload)
        return cleaned


class PhotosForm(ReportForm):
    title = _("Add photos (optional)")
    photos = MultipleFileField(
        label=_("Upload photos"),
        help_text=_(
            "Up to 5 photos, JPG or PNG, each up to 10 MB. Only take photos if it is safe. "
            "We remove the location and camera details from them."
        ),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )

    def __init__(self, *args: Any, already: int = 0, **kwargs: Any) -> None:
        self.already = already
        super().__init__(*args, **kwargs)

    def clean_photos(self) -> list[Any]:
        uploads = self.cleaned_data["photos"]
        if self.already + len(uploads) > MAX_PHOTOS:
            raise ValidationError(_("You can send up to 5 photos. Remove some first."))
        return uploads


class ContactForm(ReportForm):
    title = _("Can we contact you?")
    wants_contact = forms.ChoiceField(
        label=_("Can we contact you about this?"),
        help_text=_("You can stay anonymous. We will not try to find out who you are."),
        choices=[("no", _("No, I want to stay anonymous")), ("yes", _("Yes"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Select whether we can contact you")},
    )
    contact_name = TextField(label=_("Your name (optional)"), max_length=200)
    contact_email = forms.EmailField(
        label=_("Email address"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={"invalid": _("Enter an email address like name@example.com")},
    )
    contact_phone = TextField(
        label=_("Phone number"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    consent_to_contact = forms.BooleanField(
        label=_("I agree that the partnership may contact me about this report"),
        required=False,
    )

    def clean_contact_phone(self) -> str:
        value = self.cleaned_data["contact_phone"].strip()
        if value and normalisers.normalise_phone_number(value) is None:
            raise ValidationError(_("Enter a phone number, like 07700 900 982"))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("wants_contact") != "yes":
            return {"wants_contact": data.get("wants_contact", "no"), "consent_to_contact": False}
        if (
            not data.get("contact_email")
            and not data.get("contact_phone")
            and not (self.errors.get("contact_email") or self.errors.get("contact_phone"))
        ):
            self.add_error("contact_email", _("Enter an email address or a phone number"))
        if not data.get("consent_to_contact"):
            self.add_error("consent_to_contact", _("Tick the box to agree that we may contact you"))
        return data


class HeardFromForm(ReportForm):
    title = _("How did you hear about this service?")
    heard_from = forms.ChoiceField(
        label=_("How did you hear about this service? (optional)"),
        help_text=_(
            "This helps the partnership know which of its campaigns reach people. "
            "You can leave it empty."
        ),
        choices=HeardFrom.choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Select one of the answers, or leave it empty")},
    )


class SendForm(GovukFormMixin, forms.Form):
    """The check-answers page's button, with the draft's key and a honeypot.

    ``website`` is hidden from people (and from assistive technology); automated form
    fillers complete it, and a report that has it filled is refused.
    """

    submission_key = forms.UUIDField(widget=forms.HiddenInput)
    website = forms.CharField(
        required=False,
        max_length=200,
        label=_("Leave this empty"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_website(self) -> str:
        if self.cleaned_data["website"]:
            raise ValidationError(_("Leave this field empty"))
        return ""


class FollowUpForm(GovukFormMixin, forms.Form):
    text = TextField(
        label=_("What else do you want to tell us?"),
        max_length=5000,
        rows=6,
        required=True,
        error_messages={"required": _("Enter the information you want to add")},
    )


class LinkByEmailForm(GovukFormMixin, forms.Form):
    """An address to send the private link to, used for that and kept nowhere else."""

    link_email = forms.EmailField(
        label=_("Email address"),
        help_text=_(
            "We send the link to this address and do not keep the address with your report."
        ),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter the email address to send the link to"),
            "invalid": _("Enter an email address like name@example.com"),
        },
    )


class _LocalAreaFields(forms.Form):
    area = forms.ModelChoiceField(
        label=_("Your area"),
        queryset=LocalAuthorityArea.objects.none(),
        to_field_name="gss_code",
        empty_label=_("Choose an area"),
        error_messages={
            "required": _("Choose your area"),
            "invalid_choice": _("Choose your area from the list"),
        },
    )

    def __init__(self, *args: Any, areas: QuerySet[LocalAuthorityArea], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas


class LocalAreaForm(GovukFormMixin, _LocalAreaFields):
    """The area whose local services the get-help page lists (sent by GET).

    The choices are set before GovukFormMixin validates, as in the other forms whose
    choices depend on the request.
    """
