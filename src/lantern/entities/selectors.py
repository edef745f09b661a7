"""Reads of entities, their links and their network, always through the access policy.

An entity is only as visible as the reports that mention it: aliases, keys, reports,
corroboration and neighbours all come from ``access.readable_intelligence``. What lies in
reports a user may not read shows only as the fact that restricted intelligence exists
(hit / no-hit), never as a count, a date, an organisation or a value.
"""

import datetime
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from lantern.core import access, normalisers
from lantern.core.access import NotFoundOrNotAllowed
from lantern.core.models import User
from lantern.core.roles import HUB_ROLES
from lantern.entities import evidence
from lantern.entities.models import (
    OPEN_MATCH_STATUSES,
    Entity,
    EntityKind,
    Match,
    MatchStatus,
    Mention,
    Report,
    RestrictedHit,
    intelligence_reports,
)
from lantern.public.models import PublicReport


def cluster_members(root_ids: Iterable[int]) -> dict[int, int]:
    """Each of these entities and each entity merged into one of them, to its root.

    Read first, in one indexed query, so that mentions are then found through their own
    ``entity_id`` index: a join filtering on either side of an ``OR`` reads every mention.
    """
    root_ids = set(root_ids)
    absorbed = Entity.objects.filter(merged_into_id__in=root_ids).values_list(
        "pk", "merged_into_id"
    )
    return {pk: pk for pk in root_ids} | dict(absorbed)


def in_cluster(root_ids: Iterable[int]) -> Q:
    """Mentions of these entities or of what they absorbed."""
    return Q(entity_id__in=list(cluster_members(root_ids)))


def can_read_entities(user: User) -> bool:
    return access.can_read_intelligence(user)


def is_hub_user(user: User) -> bool:
    return any(role in HUB_ROLES for role in user.roles())


def entity_for_reading(user: User, pk: int) -> Entity:
    """The entity, or ``NotFoundOrNotAllowed`` alike whether it is missing or mentioned only
    where the user may not read (it does not exist for them).

    One query answers both, so a missing id and a forbidden one cost the same: checking
    readability only once the entity was found took measurably longer for an existing
    entity, which told an attacker which ids exist.
    """
    if not can_read_entities(user):
        raise access.NotFoundOrNotAllowed
    readable = access.readable_intelligence(user)
    own = Mention.objects.filter(entity_id=OuterRef("pk"), report__in=readable)
    # A root entity is also read through what was merged into it. An absorbed entity leads
    # to its survivor only for those who may read its own mentions: otherwise its number
    # would tell that a restricted mention was merged, and when.
    absorbed = Mention.objects.filter(entity__merged_into_id=OuterRef("pk"), report__in=readable)
    entity = (
        Entity.objects.filter(pk=pk)
        .filter(Exists(own) | (Q(merged_into__isnull=True) & Exists(absorbed)))
        .select_related("merged_into")
        .first()
    )
    if entity is None:
        raise access.NotFoundOrNotAllowed
    return entity


def readable_mentions(user: User, root_ids: Iterable[int]) -> QuerySet[Mention]:
    """Mentions of these entities in reports the user may read."""
    return Mention.objects.filter(in_cluster(root_ids)).filter(
        report__in=access.readable_intelligence(user)
    )


def has_restricted_intelligence(user: User, root_id: int) -> bool:
    """Whether the entity appears in any report the user may not read."""
    return (
        Mention.objects.filter(in_cluster([root_id]))
        .exclude(report__in=access.readable_intelligence(user))
        .exists()
    )


def restricted_roots(user: User, root_ids: Iterable[int]) -> set[int]:
    """Of these entities, those appearing in a report the user may not read."""
    root_ids = set(root_ids)
    if not root_ids:
        return set()
    rows = (
        Mention.objects.filter(in_cluster(root_ids))
        .exclude(report__in=access.readable_intelligence(user))
        .annotate(root=Coalesce("entity__merged_into_id", "entity_id"))
        .order_by()
        .values_list("root", flat=True)
        .distinct()
    )
    return set(rows)


@dataclass
class EntityProfile:
    """What the entity page shows: everything drawn from reports the viewer may read."""

    entity: Entity
    label: str
    aliases: list[str]
    dates_of_birth: list[datetime.date]
    nationalities: list[str]
    keys: list[str]
    reports: list[Report]
    organisations: int
    restricted: bool
    standing: evidence.Standing
    suggestions: list[Match] = field(default_factory=list)
    merges: list[Match] = field(default_factory=list)
    # The reader's hit on it, when it is restricted (recorded by ``hits.profile_for_reading``).
    hit: RestrictedHit | None = None

    @property
    def corroborated(self) -> bool:
        return self.organisations >= 2


def entity_profile(user: User, entity: Entity, *, common_limit: int) -> EntityProfile:
    root_id = entity.root_id
    mentions = list(
        readable_mentions(user, [root_id]).select_related("entity", "report").order_by("pk")
    )
    reports = {mention.report_id: mention.report for mention in mentions}
    ordered_reports = sorted(reports.values(), key=lambda report: report.created_at, reverse=True)
    root = Entity.objects.get(pk=root_id)
    keys = sorted({mention.entity.key for mention in mentions})
    organisations = len({report.originating_organisation_id for report in ordered_reports})
    return EntityProfile(
        entity=root,
        # Named as a report the viewer may read writes it: the entity's own label may come
        # from a report they may not.
        label=Counter(mention.value for mention in mentions).most_common(1)[0][0],
        aliases=sorted({mention.value for mention in mentions}),
        # As readable reports give them: the entity's own come from its first mention.
        dates_of_birth=sorted({m.date_of_birth for m in mentions if m.date_of_birth}),
        nationalities=sorted({m.nationality for m in mentions if m.nationality}),
        keys=keys,
        reports=ordered_reports,
        organisations=organisations,
        restricted=has_restricted_intelligence(user, root_id),
        # Counted over what the viewer may read, so that it tells nothing of the rest.
        standing=evidence.standing(
            kind=root.kind,
            keys=[root.key, *keys],
            excluded=root.is_excluded,
            reports=len(ordered_reports),
            agencies=organisations,
            limit=common_limit,
        ),
        suggestions=open_suggestions(user, [root_id]),
        merges=merges(user, root_id),
    )


def merges(user: User, root_id: int) -> list[Match]:
    """The confirmed matches that made this entity what it is: who confirmed each, when,
    and (for analysts) the way to undo it."""
    if not access.can_triage_intelligence(user):
        return []
    cluster = [root_id, *Entity.objects.filter(merged_into_id=root_id).values_list("pk", flat=True)]
    return list(
        Match.objects.filter(status=MatchStatus.CONFIRMED)
        .filter(Q(entity_id__in=cluster) | Q(candidate_id__in=cluster))
        .select_related("entity", "candidate", "decided_by")
        .order_by("-decided_at")
    )


def open_suggestions(user: User, root_ids: Iterable[int]) -> list[Match]:
    """Suggested matches touching these entities, for analysts who decide them."""
    if not access.can_triage_intelligence(user):
        return []
    members = list(cluster_members(root_ids))
    matches = (
        Match.objects.filter(status__in=OPEN_MATCH_STATUSES)
        .filter(Q(entity_id__in=members) | Q(candidate_id__in=members))
        .select_related("entity", "candidate")
    )
    # A suggestion whose two sides were merged since (through another match) is settled.
    return [match for match in matches if match.entity.root_id != match.candidate.root_id]


@dataclass
class MentionLinks:
    """One thing a report mentions, and where else the viewer may see it."""

    mention: Mention
    root_id: int
    other_reports: list[Report]
    restricted: bool
    suggestions: list[Match]
    standing: evidence.Standing

    # Other reports named on the report's page; the rest are on the entity's page.
    SHOWN = 10

    @property
    def match_count(self) -> int:
        linked = 1 if self.other_reports and not self.standing.not_evidence else 0
        return linked + len(self.suggestions)

    @property
    def shown_reports(self) -> list[Report]:
        return self.other_reports[: self.SHOWN]

    @property
    def more_reports(self) -> int:
        return max(0, len(self.other_reports) - self.SHOWN)


def report_links(user: User, report: Report, *, common_limit: int) -> list[MentionLinks]:
    """For each resolved mention of the report, the viewer's other reports sharing it.

    Each says whether the value is evidence (``entities.evidence``) and, for a phone,
    email or place that more than ``common_limit`` of the viewer's reports share, that it
    is frequent: counted over what the viewer may read, so that it says nothing of other
    reports. A frequent value's reports are still listed.
    """
    mentions = [
        mention
        for mention in report.mentions.select_related("entity").order_by("pk")
        if mention.entity is not None
    ]
    roots = {mention.pk: mention.entity.root_id for mention in mentions}
    others: dict[int, list[Report]] = defaultdict(list)
    shared = (
        readable_mentions(user, set(roots.values()))
        .exclude(report=report)
        .select_related("report", "entity")
        .order_by("-report__created_at")
    )
    seen: set[tuple[int, int]] = set()
    for mention in shared:
        if (mention.entity.root_id, mention.report_id) not in seen:
            seen.add((mention.entity.root_id, mention.report_id))
            others[mention.entity.root_id].append(mention.report)
    restricted = restricted_roots(user, roots.values())
    suggestions = open_suggestions(user, roots.values())
    root_entities = Entity.objects.in_bulk(set(roots.values()))
    standings = {
        root_id: evidence.standing(
            kind=root.kind,
            keys=[root.key, *(m.entity.key for m in mentions if roots[m.pk] == root_id)],
            excluded=root.is_excluded,
            reports=len(others[root_id]) + 1,
            agencies=len(
                {report.originating_organisation_id for report in others[root_id]}
                | {report.originating_organisation_id}
            ),
            limit=common_limit,
        )
        for root_id, root in root_entities.items()
    }
    return [
        MentionLinks(
            mention=mention,
            root_id=roots[mention.pk],
            other_reports=others[roots[mention.pk]],
            restricted=roots[mention.pk] in restricted,
            suggestions=[
                match
                for match in suggestions
                if roots[mention.pk] in {match.entity.root_id, match.candidate.root_id}
            ],
            standing=standings[roots[mention.pk]],
        )
        for mention in mentions
    ]


def match_counts(user: User, report_ids: Iterable[int]) -> dict[int, int]:
    """For the triage queue: how many existing entities each report's mentions match.

    An entity counts when another report the analyst may read mentions it and it is
    evidence (a frequent value counts; a helpline or an excluded value does not), or when
    a suggestion about it waits for a decision.
    """
    report_ids = list(report_ids)
    if not report_ids or not access.can_triage_intelligence(user):
        return {}
    rows = Mention.objects.filter(report_id__in=report_ids, entity__isnull=False).annotate(
        root=Coalesce("entity__merged_into_id", "entity_id")
    )
    roots_by_report: dict[int, set[int]] = defaultdict(set)
    for report_id, root in rows.values_list("report_id", "root"):
        roots_by_report[report_id].add(root)
    all_roots = set().union(*roots_by_report.values()) if roots_by_report else set()
    reports_by_root: dict[int, set[int]] = defaultdict(set)
    for report_id, root in (
        readable_mentions(user, all_roots)
        .annotate(root=Coalesce("entity__merged_into_id", "entity_id"))
        .values_list("report_id", "root")
    ):
        reports_by_root[root].add(report_id)
    suggested: dict[int, int] = defaultdict(int)
    for match in open_suggestions(user, all_roots):
        for root in {match.entity.root_id, match.candidate.root_id} & all_roots:
            suggested[root] += 1
    not_evidence = not_evidence_roots(all_roots)
    counts = {}
    for report_id, roots in roots_by_report.items():
        linked = sum(1 for root in roots - not_evidence if reports_by_root[root] - {report_id})
        counts[report_id] = linked + sum(suggested[root] for root in roots)
    return counts


def not_evidence_roots(root_ids: Iterable[int]) -> set[int]:
    """Of these root entities, those that link nothing: excluded, or a known service."""
    return {
        entity.pk
        for entity in Entity.objects.filter(pk__in=list(root_ids)).only(
            "kind", "key", "excluded_at"
        )
        if entity.is_excluded or evidence.known_service(entity.kind, entity.key) is not None
    }


@dataclass(frozen=True)
class NetworkFilters:
    kinds: frozenset[str] = frozenset()
    since: datetime.date | None = None
    until: datetime.date | None = None


@dataclass
class Network:
    """Entities linked to one through shared reports, two hops out, as nodes and edges."""

    nodes: dict[int, Entity]
    edges: set[tuple[int, int]]
    hops: dict[int, int]
    labels: dict[int, str]

    def by_hop(self) -> list[tuple[int, list[tuple[Entity, str]]]]:
        """Neighbours one hop out, then two, as (entity, label): the list without JavaScript."""
        return [
            (
                hop,
                sorted(
                    (
                        (node, self.labels[pk])
                        for pk, node in self.nodes.items()
                        if self.hops[pk] == hop
                    ),
                    key=lambda pair: (pair[0].kind, pair[1].casefold()),
                ),
            )
            for hop in (1, 2)
        ]


_NETWORK_LIMIT = 150


def network(user: User, entity: Entity, filters: NetworkFilters) -> Network:
    """Entities sharing a readable report with this one, and those sharing one with them.

    Only reports the viewer may read make an edge, so the network of a partner never shows
    what restricted intelligence links.
    """
    readable = access.readable_intelligence(user)
    if filters.since:
        readable = readable.filter(created_at__date__gte=filters.since)
    if filters.until:
        readable = readable.filter(created_at__date__lte=filters.until)
    root_id = entity.root_id
    hops = {root_id: 0}
    edges: set[tuple[int, int]] = set()
    labels: dict[int, str] = {}
    frontier = {root_id}
    for hop in (1, 2):
        reports = (
            Mention.objects.filter(in_cluster(frontier))
            .filter(report__in=readable)
            .values("report_id")
        )
        rows = (
            Mention.objects.filter(report_id__in=reports, entity__isnull=False)
            .annotate(root=Coalesce("entity__merged_into_id", "entity_id"))
            .values_list("report_id", "root", "value")
        )
        members: dict[int, set[int]] = defaultdict(set)
        for report_id, root, value in rows:
            members[report_id].add(root)
            labels.setdefault(root, value)
        next_frontier: set[int] = set()
        for roots in members.values():
            touching = roots & frontier
            for source in touching:
                for target in roots - {source}:
                    if len(hops) >= _NETWORK_LIMIT and target not in hops:
                        continue
                    edges.add((min(source, target), max(source, target)))
                    if target not in hops:
                        hops[target] = hop
                        next_frontier.add(target)
        # What is not evidence (a helpline, a car park) is shown but links nothing further.
        frontier = next_frontier - not_evidence_roots(next_frontier)
        if not frontier:
            break
    nodes = Entity.objects.in_bulk(list(hops))
    if filters.kinds:
        keep = {pk for pk, node in nodes.items() if node.kind in filters.kinds or pk == root_id}
        nodes = {pk: node for pk, node in nodes.items() if pk in keep}
        edges = {edge for edge in edges if edge[0] in keep and edge[1] in keep}
    return Network(
        nodes=nodes,
        edges=edges,
        hops={pk: hops[pk] for pk in nodes},
        labels={pk: labels.get(pk, "") for pk in nodes},
    )


def review_queue(user: User, status: str = MatchStatus.SUGGESTED) -> QuerySet[Match]:
    """Suggested matches waiting for an analyst (or those marked not sure), most
    confident first."""
    if not access.can_triage_intelligence(user):
        return Match.objects.none()
    return (
        Match.objects.filter(status=status)
        .annotate(
            entity_root=Coalesce("entity__merged_into_id", "entity_id"),
            candidate_root=Coalesce("candidate__merged_into_id", "candidate_id"),
        )
        .exclude(entity_root=F("candidate_root"))
        .select_related("entity", "candidate")
    )


def match_for_deciding(user: User, pk: int) -> Match:
    """A suggestion an analyst confirms, rejects or undoes; 404 for anyone else."""
    if not access.can_triage_intelligence(user):
        raise NotFoundOrNotAllowed
    match = Match.objects.filter(pk=pk).select_related("entity", "candidate").first()
    if match is None:
        raise NotFoundOrNotAllowed
    return match


def restricted_hits(user: User) -> QuerySet[RestrictedHit]:
    """Who touched restricted intelligence: every hit for the hub, and for a partner the
    hits on its own organisation's intelligence, each named as its own reports write it
    (``own_label``; the entity's label may come from another's). Who and where are the
    hub's to share: they would tell the partner who else holds or reads what."""
    if not access.can_read_intelligence(user):
        return RestrictedHit.objects.none()
    hits = RestrictedHit.objects.select_related("entity", "user", "user__organisation")
    if is_hub_user(user):
        return hits.annotate(own_label=F("entity__label"))
    own_mentions = Mention.objects.filter(
        report__originating_organisation=user.organisation_id
    ).filter(Q(entity_id=OuterRef("entity_id")) | Q(entity__merged_into_id=OuterRef("entity_id")))
    return hits.filter(owners=user.organisation_id).annotate(
        own_label=Subquery(own_mentions.order_by("pk").values("value")[:1])
    )


def todays_hits(user: User, root_ids: Iterable[int]) -> dict[int, RestrictedHit]:
    """The hits recorded today for this user on these entities, by root id: what a page
    shows beside each (recorded by the selector or service that found them, ``hits``)."""
    hits = RestrictedHit.objects.filter(
        user=user, entity_id__in=set(root_ids), created_at__date=timezone.localdate()
    ).order_by("pk")
    found: dict[int, RestrictedHit] = {}
    for hit in hits:
        found.setdefault(hit.entity_id, hit)
    return found


def unreadable_reports(user: User, root_id: int) -> QuerySet[Report]:
    """The reports about this entity that the user may not read: for telling their owners
    that the user came across it, never for showing the user."""
    unread = Mention.objects.filter(in_cluster([root_id])).exclude(
        report__in=access.readable_intelligence(user)
    )
    return (
        intelligence_reports()
        .filter(pk__in=unread.values("report_id"))
        .select_related("created_by")
    )


def entities_by_key(user: User, kind: str, key: str) -> list[Entity]:
    """Root entities of this kind and key (for search and hit / no-hit)."""
    if not can_read_entities(user) or not key:
        return []
    found = Entity.objects.filter(kind=kind, key=key).select_related("merged_into")
    return list(
        {
            (entity.merged_into or entity).pk: entity.merged_into or entity for entity in found
        }.values()
    )


def public_report_keys(report: PublicReport) -> list[tuple[str, str]]:
    """The (kind, key) pairs a report from the public carries: phones, registrations and
    the business it names, normalised as mentions are."""
    values = [
        *((EntityKind.PHONE, number) for number in report.phone_numbers),
        *((EntityKind.VEHICLE, registration) for registration in report.vehicle_registrations),
    ]
    if report.business_name:
        values.append((EntityKind.BUSINESS, report.business_name))
    pairs = [(kind, normalisers.mention_key(kind, value)) for kind, value in values]
    return [(kind, key) for kind, key in pairs if key]


def public_match_counts(user: User, reports: Iterable[PublicReport]) -> dict[int, int]:
    """For the triage queue: how many entities in intelligence each public report matches.

    Read when the queue is shown rather than stored, so that a public report needs no
    entities of its own until it is turned into intelligence.
    """
    if not access.can_triage_intelligence(user):
        return {}
    counts = {}
    for report in reports:
        keys = public_report_keys(report)
        if not keys:
            counts[report.pk] = 0
            continue
        matching = Q()
        for kind, key in keys:
            matching |= Q(kind=kind, key=key)
        roots = {entity.root_id for entity in Entity.objects.filter(matching)}
        linked = (
            readable_mentions(user, roots)
            .annotate(root=Coalesce("entity__merged_into_id", "entity_id"))
            .values_list("root", flat=True)
        )
        counts[report.pk] = len(set(linked))
    return counts


# Entities a search's words are looked up among: a name written in a thousand reports is
# still one line of results, not a thousand reads.
_TEXT_ENTITIES = 100


def entities_for_text(user: User, text: str) -> list[Entity]:
    """Root entities whose key is what ``text`` normalises to, for any kind.

    A search for "07700 900123" finds the phone, "ab12cde" the vehicle, "Ion Popescu" the
    person: one indexed lookup whatever the kind.
    """
    text = text.strip()
    if not text or not can_read_entities(user):
        return []
    matching = Q()
    for kind in EntityKind.values:
        key = normalisers.mention_key(kind, text)
        if key:
            matching |= Q(kind=kind, key=key)
    if not matching:
        return []
    found = Entity.objects.filter(matching).select_related("merged_into")[:_TEXT_ENTITIES]
    return list({entity.root_id: entity.merged_into or entity for entity in found}.values())


@dataclass
class TextEntities:
    """What a search for ``text`` touches: entities the user may open, and restricted ones."""

    readable: list[tuple[Entity, str]]
    restricted: list[Entity]
    # The hit the search recorded (``hits.searched_entities``): one at most.
    hits: list[RestrictedHit] = field(default_factory=list)


def text_entities(user: User, text: str) -> TextEntities:
    roots = entities_for_text(user, text)
    by_id = {root.pk: root for root in roots}
    labels: dict[int, str] = {}
    for root, value in (
        readable_mentions(user, by_id)
        .annotate(root=Coalesce("entity__merged_into_id", "entity_id"))
        .values_list("root", "value")
    ):
        labels.setdefault(root, value)
    restricted = restricted_roots(user, by_id)
    return TextEntities(
        readable=[(by_id[pk], label) for pk, label in labels.items()],
        restricted=[by_id[pk] for pk in sorted(restricted)],
    )


def restricted_entities(user: User, reports: Iterable[Report] | QuerySet[Report]) -> list[Entity]:
    """Entities of these reports that also appear in intelligence the user may not read."""
    entities = Entity.objects.filter(
        pk__in=Mention.objects.filter(report__in=reports).values("entity_id")
    ).select_related("merged_into")
    roots = restricted_roots(user, {entity.root_id for entity in entities})
    return [entity for entity in entities if entity.root_id in roots]


# Submission keys read at a time: within SQLite's limit on parameters whatever the import.
_KEYS_PER_READ = 1000


def restricted_entities_imported(user: User, submission_keys: Iterable[uuid.UUID]) -> list[Entity]:
    """``restricted_entities`` of the reports the user imported with these keys."""
    keys = list(submission_keys)
    found: dict[int, Entity] = {}
    for start in range(0, len(keys), _KEYS_PER_READ):
        reports = intelligence_reports().filter(
            created_by=user, submission_key__in=keys[start : start + _KEYS_PER_READ]
        )
        found |= {entity.pk: entity for entity in restricted_entities(user, reports)}
    return list(found.values())
