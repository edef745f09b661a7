"""The hit notice: someone touched a person, place or thing that appears in intelligence
they may not read (DESIGN.md, hit / no-hit).

Recording a hit is the job of the code that finds one, once, wherever it runs (a page,
the API, an import, the worker): the selectors that read a report, the search and the
entity page, and the services that store a submission or an import, call this module;
views only show the hits those recorded (``selectors.todays_hits``). Each hit is audited
and its authors are told by email through the outbox, sent by the worker after the
transaction commits, never inside the request.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace

from django.db import transaction
from django.db.models import Model
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lantern.core import audit, outbox, references
from lantern.core.audit import AuditContext
from lantern.core.models import User
from lantern.entities import selectors
from lantern.entities.models import Entity, HitContext, RestrictedHit

ENTITY_READ_PURPOSE = "entity page"


def report_hits(
    user: User,
    reports: Iterable[Model],
    *,
    where: HitContext,
    context: AuditContext | None,
) -> dict[int, RestrictedHit]:
    """Record a hit on each entity of these reports that appears in intelligence the user
    may not read: what reading or submitting a report finds."""
    return record_hits(
        user=user,
        entities=selectors.restricted_entities(user, reports),
        where=where,
        context=context,
    )


def searched_entities(
    user: User, text: str, *, context: AuditContext | None
) -> selectors.TextEntities:
    """What a search for ``text`` touches, its hit recorded: one notice and one reference
    however many restricted entities the words match (their number is itself restricted)."""
    found = selectors.text_entities(user, text)
    hits = record_hits(
        user=user, entities=found.restricted[:1], where=HitContext.SEARCH, context=context
    )
    return replace(found, hits=list(hits.values()))


def profile_for_reading(
    user: User, entity: Entity, *, common_limit: int, context: AuditContext | None
) -> selectors.EntityProfile:
    """The entity page's profile, its read audited and, when the entity also appears in
    intelligence the user may not read, its hit recorded."""
    profile = selectors.entity_profile(user, entity, common_limit=common_limit)
    audit.record_read(actor=user, target=entity, purpose=ENTITY_READ_PURPOSE, context=context)
    if not profile.restricted:
        return profile
    hits = record_hits(user=user, entities=[entity], where=HitContext.ENTITY_PAGE, context=context)
    return replace(profile, hit=hits[entity.root_id])


def record_hits(
    *,
    user: User,
    entities: Iterable[Entity],
    where: HitContext,
    context: AuditContext | None = None,
) -> dict[int, RestrictedHit]:
    """A hit for each entity, by root id (what a page shows beside each), and one email to
    each author of the intelligence touched, listing its references.

    One hit per person, entity and day: the reference they are given stays the same when
    they reload the page, and neither the hub's list nor the authors are flooded.
    """
    hits: dict[int, RestrictedHit] = {}
    references_by_author: dict[str, list[str]] = defaultdict(list)
    # The hits and the emails they cause are committed together (the outbox).
    with transaction.atomic():
        for entity in entities:
            if entity.root_id in hits:
                continue
            hit, authors = _record_hit(user, entity, where, context)
            hits[entity.root_id] = hit
            for address in authors:
                references_by_author[address].append(hit.reference)
        if references_by_author:
            _email_authors(references_by_author)
    return hits


def _record_hit(
    user: User, entity: Entity, where: HitContext, context: AuditContext | None
) -> tuple[RestrictedHit, list[str]]:
    """The day's hit of this user on this entity, and the addresses of the authors of the
    reports they could not read when it was first recorded (none when it already was)."""
    existing = RestrictedHit.objects.filter(
        user=user, entity_id=entity.root_id, created_at__date=timezone.localdate()
    ).first()
    if existing is not None:
        return existing, []
    with transaction.atomic():
        hit = RestrictedHit.objects.create(
            reference=references.new_reference(),
            entity_id=entity.root_id,
            user=user,
            context=where,
        )
        reports = list(selectors.unreadable_reports(user, entity.root_id))
        hit.owners.set({report.originating_organisation_id for report in reports})
        audit.record(
            action=audit.Action.ENTITY_RESTRICTED_HIT,
            actor=user,
            target=hit,
            context=context,
            detail={"entity": entity.root_id, "context": where},
        )
    authors = {report.created_by for report in reports if report.created_by is not None}
    return hit, sorted({author.email for author in authors if author.is_active and author.email})


def _email_authors(references_by_author: dict[str, list[str]]) -> None:
    """Tell each author that someone came across their restricted intelligence: the
    references only, in both languages, each author a message of their own (the others'
    addresses would tell who else holds intelligence on it).

    Queued with the hits and sent by the worker: a mail server that is slow or down does
    not hold up, or fail, the page of the user who touched the entities.
    """
    subjects = []
    for language in ("en", "fr"):
        with translation.override(language):
            subjects.append(_("Lantern: restricted intelligence was matched"))
    for address, found in references_by_author.items():
        parts = []
        for language in ("en", "fr"):
            with translation.override(language):
                parts.append(
                    _(
                        "Someone came across a person, place or thing that appears in "
                        "restricted intelligence you submitted. They were told only that "
                        "restricted intelligence exists, and given the reference "
                        "%(reference)s. Ask the intelligence hub, quoting it, if you need to "
                        "know who."
                    )
                    % {"reference": ", ".join(found)}
                )
        outbox.enqueue_email(subject=" / ".join(subjects), body="\n\n".join(parts), to=[address])
