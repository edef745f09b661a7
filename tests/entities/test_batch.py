"""``lantern entities resolve`` turns the batch model's proposals into suggestions, and
``lantern entities correlate`` links what was left unlinked."""

import datetime
import io

import pytest
from django.core.management import call_command

from lantern.entities import batch, resolution
from lantern.entities.models import Entity, Match, MatchSource, MatchStatus, Mention
from tests.entities.factories import EntityFactory, MatchFactory, MentionFactory

pytestmark = pytest.mark.django_db


def person(name: str, born: datetime.date | None = None) -> Entity:
    return EntityFactory(label=name, date_of_birth=born)


def test_people_are_sent_as_names_split_and_folded():
    person("POPESCU, Ștefan", datetime.date(1990, 3, 27))
    person("Marek Jan Nowak")

    records = list(batch.person_records())

    assert [(r["given_name"], r["surname"], r["date_of_birth"]) for r in records] == [
        ("stefan", "popescu", "1990-03-27"),
        ("marek jan", "nowak", None),
    ]


def test_places_are_sent_as_postcode_building_and_street():
    EntityFactory(kind="location", key="LE1 5AB 12 high st", label="12 High St")

    [record] = batch.location_records()

    assert (record["postcode"], record["building"], record["street"]) == (
        "LE1 5AB",
        "12",
        "high st",
    )


def test_proposals_become_suggestions_and_never_reopen_a_decision(monkeypatch):
    first, second, third = (person(name) for name in ("Ion Rusu", "Ion Rusu", "I Rusu"))
    MatchFactory(
        entity=third,
        candidate=first,
        confidence=0.6,
        source=MatchSource.SUBMISSION,
        status=MatchStatus.REJECTED,
    )
    links = (
        resolution.ProposedLink(str(second.pk), str(first.pk), 0.99),
        resolution.ProposedLink(str(first.pk), str(third.pk), 0.97),
    )
    cluster = resolution.ProposedCluster(
        record_ids=(str(first.pk), str(second.pk), str(third.pk)),
        match_probability=0.97,
        links=links,
    )
    monkeypatch.setattr(resolution, "resolve_people", lambda records, **options: [cluster])
    output = io.StringIO()

    call_command("entities", "resolve", stdout=output)
    call_command("entities", "resolve", stdout=io.StringIO())

    assert "1 matches proposed" in output.getvalue()
    proposal = Match.objects.get(source=MatchSource.BATCH)
    assert (proposal.entity_id, proposal.candidate_id) == (second.pk, first.pk)
    assert proposal.status == MatchStatus.SUGGESTED
    assert proposal.reasons == ["model"]
    assert Match.objects.get(entity=third).status == MatchStatus.REJECTED
    assert not Entity.objects.filter(merged_into__isnull=False).exists()


def test_correlate_links_mentions_left_unlinked():
    MentionFactory(kind="phone", role="contact", value="07700 900123", key="+447700900123")
    output = io.StringIO()

    call_command("entities", "correlate", stdout=output)

    assert "1 mentions linked" in output.getvalue()
    assert Mention.objects.get().entity.key == "+447700900123"
