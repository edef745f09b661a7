"""The NRM rules (DOMAIN.md §1): each refusal names the field and says why."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from lantern.safeguarding import rules
from lantern.safeguarding.models import (
    SHAREABLE_DETAILS,
    ActionKind,
    DutyToNotify,
    NRMReferral,
)
from tests.safeguarding.factories import (
    NRMReferralFactory,
    SupportReferralFactory,
    VictimFactory,
)

TODAY = timezone.localdate


def refusal(rule, *args, **kwargs) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as raised:
        rule(*args, **kwargs)
    return raised.value.message_dict


def accepted(rule, *args, **kwargs) -> bool:
    """Whether the rule lets this through; the counterpart of ``refusal``."""
    try:
        rule(*args, **kwargs)
    except ValidationError:
        return False
    return True


def decisions(**changes):
    fields = {
        "reasonable_grounds": "",
        "reasonable_grounds_on": None,
        "conclusive_grounds": "",
        "conclusive_grounds_on": None,
        "reconsideration_requested_on": None,
        "reconsideration": "",
        "reconsideration_on": None,
    }
    return fields | changes


REFERRED = datetime.date(2024, 3, 1)


@pytest.fixture
def referral():
    return NRMReferral(referred_on=REFERRED)


def test_a_decision_before_the_referral_is_refused(referral):
    errors = refusal(
        rules.check_decisions,
        referral,
        **decisions(
            reasonable_grounds="positive",
            reasonable_grounds_on=REFERRED - datetime.timedelta(days=1),
        ),
    )
    assert "before the date referred" in errors["reasonable_grounds_on"][0]


def test_conclusive_grounds_dated_before_reasonable_grounds_is_refused(referral):
    errors = refusal(
        rules.check_decisions,
        referral,
        **decisions(
            reasonable_grounds="positive",
            reasonable_grounds_on=datetime.date(2024, 3, 6),
            conclusive_grounds="positive",
            conclusive_grounds_on=datetime.date(2024, 3, 5),
        ),
    )
    assert "cannot be before the reasonable grounds" in errors["conclusive_grounds_on"][0]


@pytest.mark.parametrize("rg", ["", "negative", "withdrawn"])
def test_conclusive_grounds_needs_a_positive_reasonable_grounds_decision(referral, rg):
    errors = refusal(
        rules.check_decisions,
        referral,
        **decisions(
            reasonable_grounds=rg,
            reasonable_grounds_on=datetime.date(2024, 3, 6) if rg else None,
            conclusive_grounds="positive",
            conclusive_grounds_on=datetime.date(2024, 6, 1),
        ),
    )
    assert "only after a positive reasonable grounds" in errors["conclusive_grounds"][0]


def test_reconsideration_only_after_a_negative_decision(referral):
    errors = refusal(
        rules.check_decisions,
        referral,
        **decisions(
            reasonable_grounds="positive",
            reasonable_grounds_on=datetime.date(2024, 3, 6),
            reconsideration_requested_on=datetime.date(2024, 3, 10),
        ),
    )
    assert "only after a negative decision" in errors["reconsideration_requested_on"][0]


def test_a_reconsidered_negative_decision_opens_the_way_to_conclusive_grounds(referral):
    negative = {
        "reasonable_grounds": "negative",
        "reasonable_grounds_on": datetime.date(2024, 3, 6),
    }
    conclusive = {
        "conclusive_grounds": "positive",
        "conclusive_grounds_on": datetime.date(2024, 9, 2),
    }
    reconsidered = {
        "reconsideration_requested_on": datetime.date(2024, 3, 20),
        "reconsideration": "positive",
        "reconsideration_on": datetime.date(2024, 4, 2),
    }

    assert accepted(
        rules.check_decisions, referral, **decisions(**negative, **reconsidered, **conclusive)
    )
    # Without the positive reconsideration, the same conclusive grounds decision is refused.
    errors = refusal(rules.check_decisions, referral, **decisions(**negative, **conclusive))
    assert "only after a positive reasonable grounds" in errors["conclusive_grounds"][0]


def test_a_decision_needs_its_date_and_no_date_is_in_the_future(referral):
    assert "reasonable_grounds_on" in refusal(
        rules.check_decisions, referral, **decisions(reasonable_grounds="positive")
    )
    errors = refusal(
        rules.check_decisions,
        referral,
        **decisions(
            reasonable_grounds="positive",
            reasonable_grounds_on=TODAY() + datetime.timedelta(days=1),
        ),
    )
    assert "today or in the past" in errors["reasonable_grounds_on"][0]


def test_date_of_birth_in_the_future_is_refused():
    tomorrow = TODAY() + datetime.timedelta(days=1)
    errors = refusal(rules.check_date_of_birth, tomorrow, identified_on=None)
    assert errors["date_of_birth"] == ["The date of birth must be today or in the past"]


def test_a_200_year_old_is_refused():
    born = TODAY().replace(year=TODAY().year - 200)
    errors = refusal(rules.check_date_of_birth, born, identified_on=TODAY())
    assert "over 120" in errors["date_of_birth"][0]
    assert "age_at_identification" in refusal(rules.check_age, 200)


def test_age_is_worked_out_from_the_date_of_birth_when_given():
    identified = datetime.date(2024, 3, 1)
    assert (
        rules.age_at_identification(
            date_of_birth=datetime.date(2007, 3, 2), identified_on=identified, estimated_age=30
        )
        == 16
    )
    assert (
        rules.age_at_identification(date_of_birth=None, identified_on=identified, estimated_age=30)
        == 30
    )


@pytest.mark.django_db
def test_an_adult_nrm_referral_without_consent_is_refused(police):
    victim = VictimFactory(identified_by=police, age_at_identification=25)
    errors = refusal(
        rules.check_nrm_referral,
        victim,
        organisation=police,
        referred_on=victim.identified_on,
        consent_given_on=None,
    )
    assert "an adult must consent" in errors["consent_given_on"][0]


@pytest.mark.django_db
def test_unknown_age_is_treated_as_an_adult_and_the_message_says_so(police):
    victim = VictimFactory(identified_by=police, age_at_identification=None)
    errors = refusal(
        rules.check_nrm_referral,
        victim,
        organisation=police,
        referred_on=victim.identified_on,
        consent_given_on=None,
    )
    assert "age is not known, so they are treated as an adult" in errors["consent_given_on"][0]


@pytest.mark.django_db
def test_a_person_of_unknown_age_who_may_be_a_child_is_treated_as_one(police):
    """The presumption of age (Modern Slavery Act 2015 s.51)."""
    victim = VictimFactory(identified_by=police, age_at_identification=None, may_be_child=True)

    rules.check_nrm_referral(
        victim, organisation=police, referred_on=victim.identified_on, consent_given_on=None
    )
    errors = refusal(
        rules.check_duty_to_notify, victim, organisation=police, notified_on=victim.identified_on
    )
    assert "refer this child to the NRM instead" in errors["notified_on"][0]
    assert (
        VictimFactory(identified_by=police, age_at_identification=19, may_be_child=True).age_group
        == "adult"
    )


@pytest.mark.django_db
def test_a_child_is_referred_without_consent(police):
    child = VictimFactory(identified_by=police, age_at_identification=15)
    adult = VictimFactory(identified_by=police, age_at_identification=18)

    assert accepted(
        rules.check_nrm_referral,
        child,
        organisation=police,
        referred_on=child.identified_on,
        consent_given_on=None,
    )
    # Consent is waived for the child only: at 18 the same referral needs it.
    errors = refusal(
        rules.check_nrm_referral,
        adult,
        organisation=police,
        referred_on=adult.identified_on,
        consent_given_on=None,
    )
    assert "an adult must consent" in errors["consent_given_on"][0]


@pytest.mark.django_db
def test_consent_after_the_referral_is_refused(police):
    victim = VictimFactory(identified_by=police)
    errors = refusal(
        rules.check_nrm_referral,
        victim,
        organisation=police,
        referred_on=victim.identified_on,
        consent_given_on=victim.identified_on + datetime.timedelta(days=1),
    )
    assert "on or before the date referred" in errors["consent_given_on"][0]


@pytest.mark.django_db
def test_only_a_first_responder_organisation_refers(charity):
    victim = VictimFactory(identified_by=charity, age_at_identification=15)
    errors = refusal(
        rules.check_nrm_referral,
        victim,
        organisation=charity,
        referred_on=victim.identified_on,
        consent_given_on=None,
    )
    assert "Open Door Charity is not a First Responder Organisation" in errors["referred_on"][0]


@pytest.mark.django_db
def test_a_child_never_gets_a_duty_to_notify_instead_of_a_referral(police):
    victim = VictimFactory(identified_by=police, age_at_identification=16)
    errors = refusal(rules.check_duty_to_notify, victim, organisation=police, notified_on=TODAY())
    assert "refer this child to the NRM" in errors["notified_on"][0]


@pytest.mark.django_db
def test_duty_to_notify_is_made_by_a_public_authority_only(ngo_first_responder, council):
    victim = VictimFactory(identified_by=ngo_first_responder)
    errors = refusal(
        rules.check_duty_to_notify,
        victim,
        organisation=ngo_first_responder,
        notified_on=TODAY(),
    )
    assert "not a public authority under the Duty to Notify" in errors["notified_on"][0]
    rules.check_duty_to_notify(victim, organisation=council, notified_on=TODAY())


@pytest.mark.django_db
def test_a_person_has_an_nrm_referral_or_a_duty_to_notify_not_both(police):
    referral = NRMReferralFactory(victim__identified_by=police)
    errors = refusal(
        rules.check_duty_to_notify, referral.victim, organisation=police, notified_on=TODAY()
    )
    assert "already been referred" in errors["notified_on"][0]


@pytest.mark.django_db
def test_safeguarded_needs_a_protective_action_or_an_accepted_support_referral(police):
    victim = VictimFactory(identified_by=police)
    errors = refusal(rules.check_outcome, victim, outcome="safeguarded", recorded_on=TODAY())
    assert "place of safety or police protection" in errors["outcome"][0]
    victim.actions.create(
        kind=ActionKind.MEDICAL, done_on=TODAY(), organisation=police, done_by=victim.recorded_by
    )
    assert not rules.is_safeguarded(victim)
    SupportReferralFactory(victim=victim, status="pending")
    assert not rules.is_safeguarded(victim)
    SupportReferralFactory(victim=victim, status="accepted", service="housing")
    assert rules.is_safeguarded(victim)
    rules.check_outcome(victim, outcome="safeguarded", recorded_on=TODAY())


@pytest.mark.django_db
def test_a_place_of_safety_is_protective(police):
    victim = VictimFactory(identified_by=police)
    victim.actions.create(
        kind=ActionKind.PLACE_OF_SAFETY,
        done_on=TODAY(),
        organisation=police,
        done_by=victim.recorded_by,
    )
    assert rules.is_safeguarded(victim)


@pytest.mark.django_db
def test_sharing_without_consent_needs_its_legal_basis(police, council):
    arguments = {
        "from_organisation": police,
        "to_organisation": council,
        "shared_details": ["name", "address"],
        "held": SHAREABLE_DETAILS,
    }
    errors = refusal(
        rules.check_support_referral, consented=False, consent_override_reason="", **arguments
    )
    assert "legal basis for sharing without consent" in errors["consent_override_reason"][0]
    rules.check_support_referral(consented=True, consent_override_reason="", **arguments)
    rules.check_support_referral(
        consented=False, consent_override_reason="Child at risk of harm", **arguments
    )


@pytest.mark.django_db
def test_only_details_the_referrer_holds_are_passed_on(police, council):
    errors = refusal(
        rules.check_support_referral,
        from_organisation=police,
        to_organisation=council,
        shared_details=["name", "address"],
        held=("name",),
        consented=True,
        consent_override_reason="",
    )
    assert errors["shared_details"] == ["Select the details to share from the list"]


def test_declining_a_support_referral_needs_a_reason():
    errors = refusal(
        rules.check_support_decision, status="pending", accept=False, decline_reason=" "
    )
    assert errors["decline_reason"] == ["Enter the reason for declining the support referral"]
    assert (
        "already been answered"
        in refusal(rules.check_support_decision, status="accepted", accept=True, decline_reason="")[
            "accept"
        ][0]
    )


def test_a_negative_conclusive_grounds_decision_reconsidered_positively_is_accepted(referral):
    """Positive RG, negative CG, then the CG reconsidered: the CG date is not compared with
    the reconsideration that came after it."""
    reconsidered = {
        "reconsideration_requested_on": datetime.date(2024, 6, 10),
        "reconsideration": "positive",
        "reconsideration_on": datetime.date(2024, 7, 1),
    }

    assert accepted(
        rules.check_decisions,
        referral,
        **decisions(
            reasonable_grounds="positive",
            reasonable_grounds_on=datetime.date(2024, 3, 6),
            conclusive_grounds="negative",
            conclusive_grounds_on=datetime.date(2024, 6, 1),
            **reconsidered,
        ),
    )
    # The same dates when it was the reasonable grounds decision that was reconsidered: then
    # the conclusive grounds decision must come after the reconsideration, and is refused.
    errors = refusal(
        rules.check_decisions,
        referral,
        **decisions(
            reasonable_grounds="negative",
            reasonable_grounds_on=datetime.date(2024, 3, 6),
            conclusive_grounds="positive",
            conclusive_grounds_on=datetime.date(2024, 6, 1),
            **reconsidered,
        ),
    )
    assert "cannot be before the reconsideration decision" in errors["conclusive_grounds_on"][0]


def test_a_reconsideration_requested_before_the_negative_conclusive_grounds_is_refused(referral):
    errors = refusal(
        rules.check_decisions,
        referral,
        **decisions(
            reasonable_grounds="positive",
            reasonable_grounds_on=datetime.date(2024, 3, 6),
            conclusive_grounds="negative",
            conclusive_grounds_on=datetime.date(2024, 6, 1),
            reconsideration_requested_on=datetime.date(2024, 5, 20),
        ),
    )
    assert (
        "cannot be before the negative conclusive grounds decision"
        in errors["reconsideration_requested_on"][0]
    )


def test_conclusive_grounds_before_the_positive_reconsideration_that_allowed_it_is_refused(
    referral,
):
    errors = refusal(
        rules.check_decisions,
        referral,
        **decisions(
            reasonable_grounds="negative",
            reasonable_grounds_on=datetime.date(2024, 3, 6),
            reconsideration_requested_on=datetime.date(2024, 3, 20),
            reconsideration="positive",
            reconsideration_on=datetime.date(2024, 4, 2),
            conclusive_grounds="positive",
            conclusive_grounds_on=datetime.date(2024, 3, 25),
        ),
    )
    assert "cannot be before the reconsideration decision" in errors["conclusive_grounds_on"][0]


def test_a_backdated_identification_does_not_make_a_200_year_old_plausible():
    born, identified = datetime.date(1800, 1, 1), datetime.date(1850, 1, 1)
    assert (
        "over 120"
        in refusal(rules.check_date_of_birth, born, identified_on=identified)["date_of_birth"][0]
    )
    errors = refusal(
        rules.check_victim, identified_on=identified, date_of_birth=born, estimated_age=None
    )
    assert "must be on or after 1/1/2015" in errors["identified_on"][0]


@pytest.mark.parametrize("day", [datetime.date(1, 1, 1), datetime.date(2014, 12, 31)])
def test_an_identification_before_the_earliest_date_is_refused(day):
    errors = refusal(rules.check_victim, identified_on=day, date_of_birth=None, estimated_age=30)
    assert errors["identified_on"] == [
        "The date identified must be on or after 1/1/2015: check the year"
    ]
    rules.check_victim(identified_on=rules.EARLIEST_DATE, date_of_birth=None, estimated_age=30)


@pytest.mark.django_db
def test_consent_dated_before_the_earliest_date_is_refused(police):
    victim = VictimFactory(identified_by=police)
    errors = refusal(
        rules.check_nrm_referral,
        victim,
        organisation=police,
        referred_on=victim.identified_on,
        consent_given_on=datetime.date(1, 1, 1),
    )
    assert "on or after 1/1/2015" in errors["consent_given_on"][0]


def born_aged(victim, years: int) -> datetime.date:
    """A date of birth giving this age on the day the person was identified."""
    return datetime.date(victim.identified_on.year - years, 1, 1)


@pytest.mark.django_db
def test_a_child_referred_without_consent_cannot_become_an_adult(police):
    referral = NRMReferralFactory(
        victim__identified_by=police, victim__age_at_identification=16, consent_given_on=None
    )
    errors = refusal(
        rules.check_personal_details, referral.victim, date_of_birth=datetime.date(1980, 1, 1)
    )
    assert (
        "makes the person “Adult” when identified instead of “Child”"
        in (errors["date_of_birth"][0])
    )
    assert "NRM referral" in errors["date_of_birth"][0]
    rules.check_personal_details(referral.victim, date_of_birth=born_aged(referral.victim, 15))


@pytest.mark.django_db
def test_an_adult_with_a_duty_to_notify_report_cannot_become_a_child(police):
    victim = VictimFactory(identified_by=police, age_at_identification=30)
    DutyToNotify.objects.create(
        victim=victim,
        notifying_organisation=police,
        notified_on=victim.identified_on,
        notified_by=victim.recorded_by,
    )
    errors = refusal(rules.check_personal_details, victim, date_of_birth=born_aged(victim, 16))
    assert "Duty to Notify report" in errors["date_of_birth"][0]
    rules.check_personal_details(victim, date_of_birth=born_aged(victim, 45))


@pytest.mark.django_db
def test_an_adult_referred_with_consent_cannot_become_a_child(police):
    referral = NRMReferralFactory(victim__identified_by=police)
    assert "date_of_birth" in refusal(
        rules.check_personal_details,
        referral.victim,
        date_of_birth=born_aged(referral.victim, 12),
    )


@pytest.mark.django_db
def test_a_person_of_unknown_age_referred_with_consent_may_turn_out_a_child(police):
    unknown = NRMReferralFactory(victim__identified_by=police, victim__age_at_identification=None)
    adult = NRMReferralFactory(victim__identified_by=police, victim__age_at_identification=30)

    assert accepted(
        rules.check_personal_details, unknown.victim, date_of_birth=born_aged(unknown.victim, 15)
    )
    # Referred the same way as a known adult, the same date of birth is refused.
    assert "date_of_birth" in refusal(
        rules.check_personal_details, adult.victim, date_of_birth=born_aged(adult.victim, 15)
    )


@pytest.mark.django_db
def test_before_any_route_the_age_group_may_change(police):
    victim = VictimFactory(identified_by=police, age_at_identification=16)

    assert accepted(rules.check_personal_details, victim, date_of_birth=datetime.date(1980, 1, 1))
    # Once referred as a child without consent, the same change is refused.
    NRMReferralFactory(victim=victim, consent_given_on=None)
    assert "date_of_birth" in refusal(
        rules.check_personal_details, victim, date_of_birth=datetime.date(1980, 1, 1)
    )


def test_conclusive_grounds_wait_for_the_recovery_period(referral):
    rg_on = REFERRED + datetime.timedelta(days=5)
    positive = {"reasonable_grounds": "positive", "reasonable_grounds_on": rg_on}

    errors = refusal(
        rules.check_decisions,
        referral,
        **decisions(
            **positive,
            conclusive_grounds="positive",
            conclusive_grounds_on=rg_on + datetime.timedelta(days=29),
        ),
    )

    assert "recovery period of at least 30 days" in errors["conclusive_grounds_on"][0]
    for decision, days in (("positive", 30), ("withdrawn", 1)):
        rules.check_decisions(
            referral,
            **decisions(
                **positive,
                conclusive_grounds=decision,
                conclusive_grounds_on=rg_on + datetime.timedelta(days=days),
            ),
        )


def test_the_recovery_period_was_45_days_before_13_december_2022():
    referral = NRMReferral(referred_on=datetime.date(2022, 11, 1))
    rg_on = datetime.date(2022, 11, 4)
    errors = refusal(
        rules.check_decisions,
        referral,
        **decisions(
            reasonable_grounds="positive",
            reasonable_grounds_on=rg_on,
            conclusive_grounds="negative",
            conclusive_grounds_on=rg_on + datetime.timedelta(days=40),
        ),
    )
    assert "at least 45 days" in errors["conclusive_grounds_on"][0]
