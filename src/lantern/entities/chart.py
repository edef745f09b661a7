"""The link chart: entities and the reports that join them, one hop at a time.

Modelled on i2 Analyst's Notebook: the chart starts from one entity or a set (an
operation's targets, a search), draws what shares a report with them, and grows only when
the analyst expands a node, instead of drawing two hops of everything (a helpline two hops
out is the whole database). Each link says what joins its two ends: the reports (date,
organisation), the roles the two play in them, and how many.

Everything is read through ``access.readable_intelligence``: a report the viewer may not
read makes no link, no node and no count, in the page, the JSON and every export alike.
"""

import dataclasses
import datetime
import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import ngettext

from lantern.core import access
from lantern.core.models import User
from lantern.entities import selectors
from lantern.entities.models import Entity, Mention, MentionRole, Report, intelligence_reports

# Neighbours drawn around the chart's entities: past this the chart says it left some out.
NODE_LIMIT = 1000
# Steps a path may take, and the entities a search for one may visit.
PATH_HOPS = 4
PATH_VISITS = 20_000


@dataclass(frozen=True)
class ChartFilters:
    kinds: frozenset[str] = frozenset()
    organisations: frozenset[int] = frozenset()
    since: datetime.date | None = None
    until: datetime.date | None = None

    def reports(self, user: User) -> QuerySet[Report]:
        """The reports the user may read that these filters keep."""
        readable = access.readable_intelligence(user)
        if self.since:
            readable = readable.filter(created_at__date__gte=self.since)
        if self.until:
            readable = readable.filter(created_at__date__lte=self.until)
        if self.organisations:
            readable = readable.filter(originating_organisation_id__in=self.organisations)
        return readable


@dataclass(frozen=True)
class ReportRef:
    reference: str
    created_at: datetime.datetime
    organisation: str


@dataclass
class ChartNode:
    pk: int
    kind: str
    kind_label: str
    label: str
    not_evidence: bool = False


@dataclass
class ChartLink:
    """Two entities and the reports that mention both."""

    source: int
    target: int
    reports: dict[str, ReportRef] = field(default_factory=dict)
    roles: Counter[tuple[str, str]] = field(default_factory=Counter)

    @property
    def count(self) -> int:
        return len(self.reports)

    @property
    def label(self) -> str:
        return ngettext("%(count)s report", "%(count)s reports", self.count) % {"count": self.count}

    @property
    def roles_label(self) -> str:
        """The roles the two ends play, as "Suspected exploiter - Vehicle used (2)"."""
        names = dict(MentionRole.choices)
        return "; ".join(
            f"{names.get(first, first)} – {names.get(second, second)} ({count})"
            for (first, second), count in sorted(self.roles.items())
        )

    @property
    def first_date(self) -> datetime.date:
        return min(report.created_at for report in self.reports.values()).date()

    @property
    def last_date(self) -> datetime.date:
        return max(report.created_at for report in self.reports.values()).date()

    @property
    def ordered_reports(self) -> list[ReportRef]:
        return sorted(self.reports.values(), key=lambda report: report.created_at, reverse=True)


@dataclass
class Chart:
    roots: list[int]
    nodes: dict[int, ChartNode]
    links: dict[tuple[int, int], ChartLink]
    truncated: bool = False

    def node_list(self) -> list[ChartNode]:
        return sorted(self.nodes.values(), key=lambda node: (node.kind, node.label.casefold()))

    def link_list(self) -> list[ChartLink]:
        """The links as the page lists them without JavaScript: strongest first."""
        return sorted(
            self.links.values(),
            key=lambda link: (
                -link.count,
                self.nodes[link.source].label.casefold(),
                self.nodes[link.target].label.casefold(),
            ),
        )

    def link_rows(self) -> list[tuple[ChartNode, ChartNode, ChartLink]]:
        """Each link with its two ends, roots first, for the list of links."""
        roots = set(self.roots)
        rows = []
        for link in self.link_list():
            source, target = self.nodes[link.source], self.nodes[link.target]
            if target.pk in roots and source.pk not in roots:
                source, target = target, source
            rows.append((source, target, link))
        return rows

    def elements(self) -> list[dict[str, object]]:
        """Cytoscape.js elements: nodes with kind and label, links with their labels."""
        roots = set(self.roots)
        elements: list[dict[str, object]] = [
            {
                "data": {
                    "id": f"e{node.pk}",
                    "pk": node.pk,
                    "label": node.label,
                    "kind": node.kind,
                    "kindLabel": node.kind_label,
                    "root": node.pk in roots,
                    "notEvidence": node.not_evidence,
                    "url": f"/entities/{node.pk}/",
                }
            }
            for node in self.node_list()
        ]
        elements += [
            {
                "data": {
                    "id": f"l{link.source}-{link.target}",
                    "source": f"e{link.source}",
                    "target": f"e{link.target}",
                    "count": link.count,
                    "label": link.label,
                    "roles": link.roles_label,
                    "first": link.first_date.isoformat(),
                    "last": link.last_date.isoformat(),
                    "organisations": sorted(
                        {report.organisation for report in link.reports.values()}
                    ),
                    "reports": [report.reference for report in link.ordered_reports],
                }
            }
            for link in self.link_list()
        ]
        return elements


def entities(pks: Iterable[int]) -> list[Entity]:
    """The chart's entities as records, for auditing their reads (already access-checked
    by ``selectors.entity_for_reading`` or drawn from readable reports)."""
    return list(Entity.objects.filter(pk__in=list(pks)))


def _rows(user: User, root_ids: Iterable[int], filters: ChartFilters) -> list[tuple]:
    """(report, root, value, role, kind) of every mention in the readable reports that
    mention one of these entities."""
    reports = (
        Mention.objects.filter(selectors.in_cluster(root_ids))
        .filter(report__in=filters.reports(user))
        .values("report_id")
    )
    return list(
        Mention.objects.filter(report_id__in=reports, entity__isnull=False)
        .annotate(root=Coalesce("entity__merged_into_id", "entity_id"))
        .values_list("report_id", "root", "value", "role", "kind")
        .order_by("report_id", "pk")
    )


def _report_refs(report_ids: Iterable[int]) -> dict[int, ReportRef]:
    return {
        pk: ReportRef(reference=reference, created_at=created_at, organisation=organisation)
        for pk, reference, created_at, organisation in intelligence_reports()
        .filter(pk__in=list(report_ids))
        .values_list("pk", "reference", "created_at", "originating_organisation__name")
    }


def _nodes(entity_ids: Iterable[int], labels: dict[int, Counter[str]]) -> dict[int, ChartNode]:
    """Chart nodes named as the viewer's readable reports write them most often."""
    entities = Entity.objects.in_bulk(list(entity_ids))
    not_evidence = selectors.not_evidence_roots(entities)
    return {
        pk: ChartNode(
            pk=pk,
            kind=entity.kind,
            kind_label=str(entity.get_kind_display()),
            label=labels[pk].most_common(1)[0][0] if labels[pk] else "",
            not_evidence=pk in not_evidence,
        )
        for pk, entity in entities.items()
    }


def neighbourhood(user: User, root_ids: Iterable[int], filters: ChartFilters) -> Chart:
    """These entities and what shares a readable report with each, one hop out.

    The roots are root entities the caller has read through
    ``selectors.entity_for_reading``; a neighbour of a kind the filters leave out is not
    drawn, the roots always are.
    """
    roots = list(dict.fromkeys(root_ids))
    root_set = set(roots)
    rows = _rows(user, roots, filters)
    members: dict[int, list[tuple[int, str, str, str]]] = defaultdict(list)
    labels: dict[int, Counter[str]] = defaultdict(Counter)
    for report_id, root, value, role, kind in rows:
        members[report_id].append((root, value, role, kind))
        labels[root][value] += 1
    refs = _report_refs(members)
    links: dict[tuple[int, int], ChartLink] = {}
    drawn: set[int] = set(root_set)
    truncated = False
    for report_id, mentioned in members.items():
        roles = {root: role for root, _value, role, _kind in mentioned}
        kinds = {root: kind for root, _value, _role, kind in mentioned}
        for source in roles.keys() & root_set:
            for target in roles.keys() - {source}:
                if target not in root_set and filters.kinds and kinds[target] not in filters.kinds:
                    continue
                if target not in drawn:
                    if len(drawn) >= NODE_LIMIT + len(root_set):
                        truncated = True
                        continue
                    drawn.add(target)
                first, second = sorted((source, target))
                link = links.setdefault((first, second), ChartLink(first, second))
                link.reports[refs[report_id].reference] = refs[report_id]
                link.roles[roles[first], roles[second]] += 1
    nodes = _nodes(drawn, labels)
    return Chart(
        roots=[pk for pk in roots if pk in nodes],
        nodes=nodes,
        links={pair: link for pair, link in links.items() if set(pair) <= nodes.keys()},
        truncated=truncated,
    )


def hide(chart: Chart, hidden: Iterable[int]) -> Chart:
    """The chart without the nodes the analyst hid (and their links), as exports take it."""
    hidden = set(hidden) - set(chart.roots)
    return Chart(
        roots=chart.roots,
        nodes={pk: node for pk, node in chart.nodes.items() if pk not in hidden},
        links={pair: link for pair, link in chart.links.items() if not set(pair) & hidden},
        truncated=chart.truncated,
    )


@dataclass
class Path:
    """The shortest chain of shared reports from one entity to another, if any."""

    steps: list[int]
    chart: Chart

    @property
    def found(self) -> bool:
        return bool(self.steps)

    def ordered(self) -> list[tuple[ChartNode, ChartLink | None]]:
        """Each entity of the path with the link that leads to the next (None at the end)."""
        result = []
        for index, pk in enumerate(self.steps):
            following = self.steps[index + 1] if index + 1 < len(self.steps) else None
            link = (
                self.chart.links.get((min(pk, following), max(pk, following)))
                if following is not None
                else None
            )
            result.append((self.chart.nodes[pk], link))
        return result


def shortest_path(user: User, source: int, target: int, filters: ChartFilters) -> Path:
    """Breadth first through readable reports, up to ``PATH_HOPS`` steps.

    What is not evidence (a helpline, an excluded value) may end a path but never joins
    two others: everyone who rang the helpline is not thereby linked.
    """
    empty = Path(steps=[], chart=Chart(roots=[], nodes={}, links={}))
    if source == target:
        return empty
    readable = filters.reports(user)
    parents: dict[int, int | None] = {source: None}
    frontier = {source}
    for _hop in range(PATH_HOPS):
        reports = (
            Mention.objects.filter(selectors.in_cluster(frontier))
            .filter(report__in=readable)
            .values("report_id")
        )
        rows = (
            Mention.objects.filter(report_id__in=reports, entity__isnull=False)
            .annotate(root=Coalesce("entity__merged_into_id", "entity_id"))
            .values_list("report_id", "root")
        )
        members: dict[int, set[int]] = defaultdict(set)
        for report_id, root in rows:
            members[report_id].add(root)
        following: set[int] = set()
        for roots in members.values():
            for parent in sorted(roots & frontier):
                for child in roots - parents.keys():
                    parents[child] = parent
                    following.add(child)
        if target in parents:
            break
        frontier = following - selectors.not_evidence_roots(following)
        if not frontier or len(parents) > PATH_VISITS:
            return empty
    if target not in parents:
        return empty
    steps = [target]
    while (parent := parents[steps[-1]]) is not None:
        steps.append(parent)
    steps.reverse()
    return Path(steps=steps, chart=_path_chart(user, steps, filters))


def _path_chart(user: User, steps: list[int], filters: ChartFilters) -> Chart:
    """The entities of a path and the links between consecutive ones."""
    whole = neighbourhood(user, steps[:-1], dataclasses.replace(filters, kinds=frozenset()))
    pairs = {tuple(sorted(pair)) for pair in itertools.pairwise(steps)}
    nodes = {pk: node for pk, node in whole.nodes.items() if pk in steps}
    return Chart(
        roots=steps,
        nodes=nodes,
        links={pair: link for pair, link in whole.links.items() if pair in pairs},
    )
