"""Pages for potential victims: record, read (pseudonymised unless allowed more), the NRM
and Duty to Notify routes, safeguarding actions, support referrals, outcomes, statistics."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from lantern.core import access
from lantern.core.access import NotFoundOrNotAllowed
from lantern.core.presenters import paginate
from lantern.entities import selectors as entity_selectors
from lantern.entities.models import Entity
from lantern.safeguarding import selectors, services
from lantern.safeguarding.forms import (
    ActionForm,
    DutyToNotifyForm,
    NRMDecisionForm,
    NRMReferralForm,
    OutcomeForm,
    PersonalDetailsForm,
    StatisticsForm,
    SupportDecisionForm,
    SupportReferralForm,
    VictimForm,
)
from lantern.safeguarding.models import PotentialVictim, SupportReferralStatus


def _refused(form: Any, error: ValidationError) -> None:
    """A service's refusal lands on the fields it names (on the form if not shown)."""
    for field, problems in error.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)


def _saved(form: Any, write: Callable[[dict[str, Any]], object]) -> bool:
    """Validate the form and run the service; a refusal is shown on the form."""
    if not form.is_valid():
        return False
    try:
        write(form.cleaned_data)
    except ValidationError as error:
        _refused(form, error)
        return False
    return True


@login_required
@never_cache
def victim_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not access.can_work_with_victims(user):
        raise PermissionDenied
    page = paginate(request, selectors.victim_list(user))
    return render(
        request,
        "safeguarding/victim_list.html",
        {
            "victims": page["page"].object_list,
            **page,
            "can_record": access.can_record_victims(user),
            "has_worklist": selectors.can_have_worklist(user),
        },
    )


@login_required
@never_cache
def worklist(request: HttpRequest) -> HttpResponse:
    """What waits for the hub coordinator or a safeguarding lead, by reference only."""
    if not selectors.can_have_worklist(request.user):
        raise PermissionDenied
    return render(
        request, "safeguarding/worklist.html", {"worklist": selectors.worklist(request.user)}
    )


@login_required
@never_cache
@require_POST
def take_on(request: HttpRequest, reference: str) -> HttpResponse:
    """The receiving lead takes on a person an operation handed over: off the worklist."""
    record = selectors.victim_for_reading(request.user, reference, request=request)
    try:
        services.take_on(victim=record, actor=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(reference)s taken on") % {"reference": record.reference})
    return redirect("safeguarding:victim", reference=record.reference)


def _prefill(request: HttpRequest, form_kwargs: dict[str, Any]) -> dict[str, Any]:
    """``?operation=&target=&intelligence=``: links the user may make, from another page."""
    initial: dict[str, Any] = {}
    for name, queryset in (
        ("operation", form_kwargs["operations"]),
        ("target", form_kwargs["targets"]),
    ):
        value = request.GET.get(name, "")
        # isdecimal() also accepts digits int() refuses ("²"); only ASCII digits are a number.
        if value.isascii() and value.isdecimal() and queryset.filter(pk=int(value)).exists():
            initial[name] = int(value)
    reference = selectors.report_reference(request.user, request.GET.get("intelligence"))
    if reference:
        initial["intelligence"] = reference
    return initial


def _readable_entity(user: Any, number: int) -> Entity | None:
    """The entity a recorder typed the number of, or None alike if missing or unreadable."""
    try:
        return entity_selectors.entity_for_reading(user, number)
    except NotFoundOrNotAllowed:
        return None


@login_required
@never_cache
def victim_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not access.can_record_victims(user):
        raise PermissionDenied
    form_kwargs = {
        "operations": selectors.linkable_operations(user),
        "targets": selectors.linkable_targets(user),
        "find_report": lambda reference: selectors.readable_report(user, reference),
        "find_entity": lambda number: _readable_entity(user, number),
    }
    if request.method == "POST":
        form = VictimForm(request.POST, **form_kwargs)
        if form.is_valid():
            data = form.cleaned_data
            already = selectors.submitted_victim(user, data["submission_key"])
            if already is not None:
                return redirect("safeguarding:victim", reference=already.reference)
            try:
                recorded = services.record_victim(actor=user, request=request, **data)
            except ValidationError as error:
                _refused(form, error)
            else:
                messages.success(
                    request,
                    _("Potential victim %(reference)s recorded")
                    % {"reference": recorded.reference},
                )
                return redirect("safeguarding:victim", reference=recorded.reference)
    else:
        form = VictimForm(initial=_prefill(request, form_kwargs), **form_kwargs)
    return _form_page(
        request,
        form,
        title=_("Record a potential victim"),
        intro=_(
            "The person is known everywhere by a reference. Their personal details are "
            "encrypted and shown only to the safeguarding leads of the organisations "
            "involved and the hub coordinator."
        ),
        button=_("Record the potential victim"),
        back=(reverse("safeguarding:victim_list"), _("Potential victims")),
    )


def _form_page(
    request: HttpRequest,
    form: Any,
    *,
    title: str,
    button: str,
    back: tuple[str, str],
    victim: PotentialVictim | None = None,
    intro: str = "",
    refusal: str = "",
    note: str = "",
) -> HttpResponse:
    return render(
        request,
        "safeguarding/form.html",
        {
            "form": form,
            "title": title,
            "intro": intro,
            "note": note,
            "refusal": refusal,
            "button": button,
            "back_url": back[0],
            "back_label": back[1],
            "victim": victim,
        },
        status=400 if form.errors else 200,
    )


@login_required
@never_cache
def victim(request: HttpRequest, reference: str) -> HttpResponse:
    user = request.user
    record = selectors.victim_for_reading(user, reference, request=request)
    identifiable = access.can_read_victim_personal_data(user, record)
    can_change = access.can_change_victim(user, record)
    return render(
        request,
        "safeguarding/victim.html",
        {
            "victim": record,
            "personal": selectors.personal_details(user, record, request=request),
            "links": selectors.links(user, record),
            "timeline": selectors.nrm_timeline(record),
            "actions": selectors.victim_actions(user, record),
            # Who was sent what is for those who see every detail.
            "support_referrals": (
                selectors.victim_support_referrals(record) if identifiable else None
            ),
            "can_change": can_change,
            "can_change_personal": can_change and identifiable,
            "can_take_on": access.can_correct_victim(user, record),
        },
    )


def _victim_form(
    request: HttpRequest,
    reference: str,
    *,
    make_form: Callable[[PotentialVictim, Any], Any],
    save: Callable[[PotentialVictim, dict[str, Any]], object],
    title: str,
    button: str,
    success: str,
    intro: str = "",
    find: Callable[..., PotentialVictim] = selectors.victim_for_change,
    note: Callable[[PotentialVictim], str] | None = None,
) -> HttpResponse:
    """A form about one person, for those who may change their record."""
    record = find(request.user, reference, request=request)
    form = make_form(record, request.POST if request.method == "POST" else None)
    refusal = form.refusal() if hasattr(form, "refusal") else ""
    if request.method == "POST" and _saved(form, lambda data: save(record, data)):
        messages.success(request, success)
        return redirect("safeguarding:victim", reference=record.reference)
    return _form_page(
        request,
        form,
        title=title,
        intro=intro,
        refusal=refusal,
        note=note(record) if note is not None else "",
        button=button,
        back=(
            reverse("safeguarding:victim", args=[record.reference]),
            _("Potential victim %(reference)s") % {"reference": record.reference},
        ),
        victim=record,
    )


@login_required
@never_cache
def personal_details(request: HttpRequest, reference: str) -> HttpResponse:
    user = request.user

    def make_form(record: PotentialVictim, data: Any) -> PersonalDetailsForm:
        # Filling the form in shows the details: read (and audited) like the record page.
        details = selectors.personal_details(user, record, request=request) or []
        initial = {detail.name: detail.value for detail in details}
        return PersonalDetailsForm(data, victim=record, initial=initial)

    return _victim_form(
        request,
        reference,
        make_form=make_form,
        save=lambda record, data: services.change_personal_details(
            actor=user, victim=record, request=request, **data
        ),
        title=_("Change personal details"),
        button=_("Save the personal details"),
        success=_("Personal details saved"),
        find=selectors.victim_for_correction,
    )


def _referral_basis(user: Any, record: PotentialVictim) -> str:
    """What a supporting organisation's NRM referral is made on: what it was given."""
    labels = selectors.held_detail_labels(user, record)
    if labels is None:
        return ""
    if not labels:
        return _(
            "Your organisation was given none of the person’s personal details: the "
            "referral is made on the reference and the facts recorded here, and making it "
            "shows you no more."
        )
    return _(
        "Your organisation was given only these personal details, and the referral is "
        "made on them: %(details)s. Making it shows you no more."
    ) % {"details": ", ".join(labels)}


@login_required
@never_cache
def nrm_referral(request: HttpRequest, reference: str) -> HttpResponse:
    user = request.user
    return _victim_form(
        request,
        reference,
        make_form=lambda record, data: NRMReferralForm(
            data,
            victim=record,
            organisation=user.organisation,
            initial={"first_responder_officer": user.full_name},
        ),
        save=lambda record, data: services.refer_to_nrm(
            actor=user, victim=record, request=request, **data
        ),
        title=_("Refer to the National Referral Mechanism"),
        intro=_(
            "Only a First Responder Organisation may refer. A child, or a person of unknown "
            "age who may be under 18, is referred without consent; an adult, or a person "
            "whose age is not known, only with informed consent."
        ),
        button=_("Make the referral"),
        success=_("Referred to the National Referral Mechanism"),
        note=lambda record: _referral_basis(user, record),
    )


@login_required
@never_cache
def nrm_decision(request: HttpRequest, reference: str) -> HttpResponse:
    user = request.user

    def make_form(record: PotentialVictim, data: Any) -> NRMDecisionForm:
        referral = selectors.nrm_referral(record)
        if referral is None:
            raise Http404
        initial = {name: getattr(referral, name) for name in services.DECISION_FIELDS}
        return NRMDecisionForm(data, referral=referral, initial=initial)

    return _victim_form(
        request,
        reference,
        make_form=make_form,
        save=lambda record, data: services.record_nrm_decision(
            actor=user, referral=selectors.nrm_referral(record), request=request, **data
        ),
        title=_("Record NRM decisions"),
        intro=_(
            "Record the competent authority’s decisions as they now stand. Conclusive "
            "grounds follow a positive reasonable grounds decision; only a negative decision "
            "is reconsidered."
        ),
        button=_("Save the decisions"),
        success=_("NRM decisions saved"),
        find=selectors.victim_for_correction,
    )


@login_required
@never_cache
def duty_to_notify(request: HttpRequest, reference: str) -> HttpResponse:
    user = request.user
    return _victim_form(
        request,
        reference,
        make_form=lambda record, data: DutyToNotifyForm(
            data, victim=record, organisation=user.organisation
        ),
        save=lambda record, data: services.notify_duty(
            actor=user, victim=record, request=request, **data
        ),
        title=_("Make a Duty to Notify report"),
        intro=_(
            "For an adult who does not consent to an NRM referral, made by a public "
            "authority under section 52 of the Modern Slavery Act 2015. It is anonymous "
            "unless the person agrees to be identified."
        ),
        button=_("Make the report"),
        success=_("Duty to Notify report made"),
    )


@login_required
@never_cache
def action(request: HttpRequest, reference: str) -> HttpResponse:
    user = request.user
    return _victim_form(
        request,
        reference,
        make_form=lambda record, data: ActionForm(data, victim=record),
        save=lambda record, data: services.record_action(
            actor=user, victim=record, request=request, **data
        ),
        title=_("Record a safeguarding action"),
        button=_("Record the action"),
        success=_("Safeguarding action recorded"),
    )


@login_required
@never_cache
def support_referral_create(request: HttpRequest, reference: str) -> HttpResponse:
    user = request.user

    return _victim_form(
        request,
        reference,
        make_form=lambda record, data: SupportReferralForm(
            data,
            organisations=selectors.support_organisations(user),
            from_organisation=user.organisation,
            held=access.shown_personal_details(user, record),
        ),
        save=lambda record, data: services.refer_for_support(
            actor=user, victim=record, request=request, **data
        ),
        title=_("Refer for support"),
        intro=_(
            "Share only the personal details the person consented to share, or record the "
            "legal basis for sharing without consent."
        ),
        button=_("Send the referral"),
        success=_("Support referral sent"),
    )


@login_required
@never_cache
def outcome(request: HttpRequest, reference: str) -> HttpResponse:
    user = request.user
    return _victim_form(
        request,
        reference,
        make_form=lambda record, data: OutcomeForm(
            data,
            victim=record,
            initial={"outcome": record.outcome, "outcome_recorded_on": record.outcome_recorded_on},
        ),
        save=lambda record, data: services.record_outcome(
            actor=user, victim=record, request=request, **data
        ),
        title=_("Record the outcome"),
        button=_("Save the outcome"),
        success=_("Outcome saved"),
    )


@login_required
@never_cache
def support_referrals(request: HttpRequest) -> HttpResponse:
    """Support referrals sent to the user's organisation."""
    user = request.user
    if not access.can_record_victims(user):
        raise PermissionDenied
    page = paginate(request, selectors.incoming_support_referrals(user))
    return render(
        request,
        "safeguarding/support_referrals.html",
        {"referrals": page["page"].object_list, **page},
    )


@login_required
@never_cache
def support_referral(request: HttpRequest, pk: int) -> HttpResponse:
    """A referral as the receiver sees it: the shared details only, and the answer."""
    user = request.user
    referral = selectors.support_referral_for_receiver(user, pk, request=request)
    form = None
    if referral.status == SupportReferralStatus.PENDING:
        form = SupportDecisionForm(
            request.POST if request.method == "POST" else None, status=referral.status
        )
        if request.method == "POST" and _saved(
            form,
            lambda data: services.decide_support_referral(
                actor=user, referral=referral, request=request, **data
            ),
        ):
            messages.success(request, _("Your answer was recorded"))
            return redirect("safeguarding:support_referral", pk=referral.pk)
    elif request.method == "POST":
        messages.info(request, _("This support referral has already been answered"))
        return redirect("safeguarding:support_referral", pk=referral.pk)
    return render(
        request,
        "safeguarding/support_referral.html",
        {
            "referral": referral,
            "details": selectors.shared_details(user, referral, request=request),
            "form": form,
            "involved": selectors.may_read_victim(user, referral.victim),
        },
        status=400 if form is not None and form.errors else 200,
    )


@login_required
@never_cache
def statistics(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not access.can_work_with_victims(user):
        raise PermissionDenied
    form = StatisticsForm(request.GET or None)
    since, until = form.period()
    return render(
        request,
        "safeguarding/statistics.html",
        {"form": form, "statistics": selectors.statistics(user, since=since, until=until)},
        status=400 if form.errors else 200,
    )
