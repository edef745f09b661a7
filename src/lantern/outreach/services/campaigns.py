"""Every write of an awareness campaign: one function per use case, in a transaction, audited.

Each function checks the access policy itself (``can_manage_campaigns``), so no path — a
view, a script, the demo — changes a campaign its caller may not run. Invalid input is
refused as a whole with a ``ValidationError`` naming the field; nothing is half-saved.
Counting a visit through a short link is the one write without an actor: it touches a
counter and nothing else, and is not audited (an audit entry would keep the address).
"""

import datetime
import decimal
import secrets
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lantern.core import access, audit, csv_files, references
from lantern.core.audit import AuditContext
from lantern.core.models import LocalAuthorityArea, Organisation, User
from lantern.outreach import materials
from lantern.outreach.models import (
    Activity,
    Audience,
    Campaign,
    CampaignChannel,
    CampaignStatus,
    Channel,
    Landing,
    LinkVisit,
    Material,
    ReachFigure,
    ReachKind,
)
from lantern.outreach.models.campaigns import CODE_LENGTH, MAX_REACH, TEXT_MAX_LENGTH
from lantern.outreach.selectors import campaigns as selectors

# Campaigns older than the Modern Slavery Act 2015, or years ahead, are mistyped years.
EARLIEST_DATE = datetime.date(2015, 1, 1)
PLANNING_HORIZON_DAYS = 3 * 366
LONGEST_CAMPAIGN = datetime.timedelta(days=366)
MAX_LANGUAGES = 20
LANGUAGE_MAX_LENGTH = 40
MAX_COST = decimal.Decimal("10000000")

MAX_MATERIAL_BYTES = 20 * 1024 * 1024
# Files a campaign's material may be: documents, images, audio and video the partnership
# makes; nothing a browser would run (no HTML, no SVG with scripts).
MATERIAL_EXTENSIONS = materials.EXTENSIONS

REACH_COLUMNS = tuple(ReachKind.values)
IMPORT_COLUMNS = ("date", "activity", "channel", "area", *REACH_COLUMNS)
IMPORT_REQUIRED = ("date", "activity", "channel")
MAX_IMPORT_ROWS = 5000
MAX_IMPORT_BYTES = 5 * 1024 * 1024


# Campaigns.


def create_campaign(
    *,
    actor: User,
    submission_key: uuid.UUID,
    name: str,
    purpose: str,
    channels: Sequence[str],
    starts_on: datetime.date,
    ends_on: datetime.date,
    areas: Iterable[LocalAuthorityArea] = (),
    audiences: Sequence[str] = (),
    languages: Sequence[str] = (),
    partners: Iterable[Organisation] = (),
    cost: decimal.Decimal | None = None,
    landing: str = Landing.SIGNS,
    context: AuditContext | None = None,
) -> Campaign:
    """Create a campaign once per submission key, with a new short-link code.

    A second call with the same key returns the first call's campaign (to its creator).
    """
    if not access.can_manage_campaigns(actor):
        raise PermissionDenied
    fields = _campaign_fields(
        name=name,
        purpose=purpose,
        channels=channels,
        starts_on=starts_on,
        ends_on=ends_on,
        audiences=audiences,
        languages=languages,
        cost=cost,
        landing=landing,
    )
    channels = fields.pop("channels")
    areas, partners = list(areas), _active_partners(partners)

    def create(_reference: str) -> Campaign:
        campaign = Campaign.objects.create(
            code=new_code(), submission_key=submission_key, created_by=actor, **fields
        )
        _set_lists(campaign, channels=channels, areas=areas, partners=partners)
        audit.record(
            action=audit.Action.CAMPAIGN_CREATED,
            actor=actor,
            target=campaign,
            context=context,
            detail={"code": campaign.code},
        )
        return campaign

    campaign, _created = references.store_once(
        Campaign, submission_key=submission_key, create=create, sent_by=actor
    )
    return campaign


def change_campaign(
    *,
    campaign: Campaign,
    actor: User,
    name: str,
    purpose: str,
    channels: Sequence[str],
    starts_on: datetime.date,
    ends_on: datetime.date,
    status: str,
    areas: Iterable[LocalAuthorityArea] = (),
    audiences: Sequence[str] = (),
    languages: Sequence[str] = (),
    partners: Iterable[Organisation] = (),
    cost: decimal.Decimal | None = None,
    landing: str = Landing.SIGNS,
    context: AuditContext | None = None,
) -> Campaign:
    """Change a campaign's plan or status; the audit entry names the fields changed."""
    if not access.can_manage_campaigns(actor):
        raise PermissionDenied
    if status not in CampaignStatus.values:
        raise ValidationError({"status": _("Select the campaign’s status")})
    fields = _campaign_fields(
        name=name,
        purpose=purpose,
        channels=channels,
        starts_on=starts_on,
        ends_on=ends_on,
        audiences=audiences,
        languages=languages,
        cost=cost,
        landing=landing,
    )
    fields["status"] = status
    channels = fields.pop("channels")
    areas, partners = list(areas), _active_partners(partners)
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        before = {
            **{name: getattr(campaign, name) for name in fields},
            "channels": campaign.channel_list,
            "areas": sorted(campaign.areas.values_list("pk", flat=True)),
            "partners": sorted(campaign.partners.values_list("pk", flat=True)),
        }
        after = {
            **fields,
            "channels": list(channels),
            "areas": sorted(area.pk for area in areas),
            "partners": sorted(partner.pk for partner in partners),
        }
        changed = sorted(name for name in after if before[name] != after[name])
        for name, value in fields.items():
            setattr(campaign, name, value)
        campaign.save()
        _set_lists(campaign, channels=channels, areas=areas, partners=partners)
        audit.record(
            action=audit.Action.CAMPAIGN_CHANGED,
            actor=actor,
            target=campaign,
            context=context,
            detail={"changed": changed, "status": status},
        )
    return campaign


def new_code() -> str:
    """A short-link code nobody guesses from another: 6 characters that read aloud well."""
    alphabet = references.REFERENCE_ALPHABET
    return "".join(secrets.choice(alphabet) for _ in range(CODE_LENGTH))


def _campaign_fields(
    *,
    name: str,
    purpose: str,
    channels: Sequence[str],
    starts_on: datetime.date,
    ends_on: datetime.date,
    audiences: Sequence[str],
    languages: Sequence[str],
    cost: decimal.Decimal | None,
    landing: str,
) -> dict[str, object]:
    problems: dict[str, str] = {}
    name = (name or "").strip()
    purpose = (purpose or "").strip()
    if not name:
        problems["name"] = _("Enter the campaign’s name")
    elif len(name) > 200:
        problems["name"] = _("Name must be 200 characters or fewer")
    if not purpose:
        problems["purpose"] = _("Enter the campaign’s purpose")
    elif len(purpose) > TEXT_MAX_LENGTH:
        problems["purpose"] = _("Purpose must be 5000 characters or fewer")
    channels = list(dict.fromkeys(channels))
    if not channels:
        problems["channels"] = _("Select at least one channel")
    elif any(channel not in Channel.values for channel in channels):
        problems["channels"] = _("Select channels from the list")
    audiences = list(dict.fromkeys(audiences))
    if any(audience not in Audience.values for audience in audiences):
        problems["audiences"] = _("Select audiences from the list")
    languages = _languages(languages, problems)
    if landing not in Landing.values:
        problems["landing"] = _("Select where the short link goes")
    if cost is not None and not (0 <= cost < MAX_COST):
        problems["cost"] = _("Enter a cost between £0 and £9,999,999.99, or leave it empty")
    problems.update(_date_problems(starts_on, ends_on))
    if problems:
        raise ValidationError(problems)
    return {
        "name": name,
        "purpose": purpose,
        "channels": channels,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "audiences": audiences,
        "languages": languages,
        "cost": cost,
        "landing": landing,
    }


def _languages(languages: Sequence[str], problems: dict[str, str]) -> list[str]:
    cleaned = list(dict.fromkeys(language.strip() for language in languages if language.strip()))
    if len(cleaned) > MAX_LANGUAGES or any(len(item) > LANGUAGE_MAX_LENGTH for item in cleaned):
        problems["languages"] = _(
            "Enter up to 20 languages, each 40 characters or fewer, separated by commas"
        )
    return cleaned


def _date_problems(starts_on: datetime.date, ends_on: datetime.date) -> dict[str, str]:
    latest = timezone.localdate() + datetime.timedelta(days=PLANNING_HORIZON_DAYS)
    if not EARLIEST_DATE <= starts_on <= latest:
        return {"starts_on": _("Enter a start date between 2015 and three years from now")}
    if ends_on < starts_on:
        return {"ends_on": _("The end date must be the same as or after the start date")}
    if ends_on - starts_on > LONGEST_CAMPAIGN:
        return {"ends_on": _("A campaign lasts a year at most. Split a longer one by year")}
    return {}


def _active_partners(partners: Iterable[Organisation]) -> list[Organisation]:
    partners = list(partners)
    if any(not partner.is_active for partner in partners):
        raise ValidationError({"partners": _("Select partner organisations from the list")})
    return partners


def _set_lists(
    campaign: Campaign,
    *,
    channels: Sequence[str],
    areas: Sequence[LocalAuthorityArea],
    partners: Sequence[Organisation],
) -> None:
    campaign.channel_rows.exclude(channel__in=channels).delete()
    have = set(campaign.channel_rows.values_list("channel", flat=True))
    CampaignChannel.objects.bulk_create(
        CampaignChannel(campaign=campaign, channel=channel)
        for channel in channels
        if channel not in have
    )
    campaign.areas.set(areas)
    campaign.partners.set(partners)


def status_on(campaign: Campaign, today: datetime.date) -> str:
    """The status a campaign's dates give it on ``today``; a cancelled one stays cancelled,
    and a status never moves back (a campaign finished early stays finished)."""
    order = [CampaignStatus.PLANNED, CampaignStatus.RUNNING, CampaignStatus.FINISHED]
    if campaign.status not in order:
        return campaign.status
    if today > campaign.ends_on:
        by_dates = CampaignStatus.FINISHED
    elif today >= campaign.starts_on:
        by_dates = CampaignStatus.RUNNING
    else:
        by_dates = CampaignStatus.PLANNED
    return max(campaign.status, by_dates, key=order.index)


def follow_dates(*, today: datetime.date | None = None) -> int:
    """Move campaigns whose dates have come (planned → running → finished); how many moved.

    Run by ``lantern daily``: the list, the calendar and the KPIs filter by status, so a
    status left as planned after the campaign ran would hide it. Each move is audited
    with no actor (the daily job).
    """
    today = today or timezone.localdate()
    moved = 0
    candidates = Campaign.objects.filter(
        Q(status=CampaignStatus.PLANNED, starts_on__lte=today)
        | Q(status=CampaignStatus.RUNNING, ends_on__lt=today)
    )
    for campaign in candidates.iterator():
        status = status_on(campaign, today)
        if status == campaign.status:
            continue
        with transaction.atomic():
            updated = Campaign.objects.filter(pk=campaign.pk, status=campaign.status).update(
                status=status, updated_at=timezone.now()
            )
            if updated:
                audit.record(
                    action=audit.Action.CAMPAIGN_CHANGED,
                    target=campaign,
                    detail={"changed": ["status"], "status": status, "by": "dates"},
                )
                moved += 1
    return moved


# Activities and their reach.


def record_activity(
    *,
    campaign: Campaign,
    actor: User,
    submission_key: uuid.UUID,
    title: str,
    channel: str,
    happened_on: datetime.date,
    area: LocalAuthorityArea | None = None,
    reach: Mapping[str, int | None] | None = None,
    context: AuditContext | None = None,
) -> Activity:
    """Record a post, broadcast, event or print run with its reach, once per key."""
    if not access.can_manage_campaigns(actor):
        raise PermissionDenied
    entry = _checked_activity(campaign, title, channel, happened_on, reach or {})
    existing = Activity.objects.filter(submission_key=submission_key).first()
    if existing is not None:
        return _repeated(existing, actor)
    try:
        with transaction.atomic():
            [activity] = _store_activities(
                campaign, actor, [(submission_key, entry, area)], ReachFigure.Source.ENTERED
            )
            audit.record(
                action=audit.Action.CAMPAIGN_ACTIVITY_RECORDED,
                actor=actor,
                target=campaign,
                context=context,
                detail={"activity": activity.number, "reach": entry.reach},
            )
    except IntegrityError:
        existing = Activity.objects.filter(submission_key=submission_key).first()
        if existing is None:
            raise
        return _repeated(existing, actor)
    return activity


def _repeated(activity: Activity, actor: User) -> Activity:
    """The same form sent again returns its activity, to the person who sent it only."""
    if activity.created_by_id != actor.pk:
        raise PermissionDenied
    return activity


def set_reach(
    *,
    activity: Activity,
    actor: User,
    reach: Mapping[str, int | None],
    context: AuditContext | None = None,
) -> Activity:
    """Replace an activity's reach figures (an empty figure removes that kind)."""
    if not access.can_manage_campaigns(actor):
        raise PermissionDenied
    figures = _checked_reach(reach)
    with transaction.atomic():
        activity.reach.all().delete()
        ReachFigure.objects.bulk_create(
            ReachFigure(activity=activity, kind=kind, value=value)
            for kind, value in figures.items()
        )
        audit.record(
            action=audit.Action.CAMPAIGN_REACH_RECORDED,
            actor=actor,
            target=activity.campaign,
            context=context,
            detail={"activity": activity.number, "reach": figures},
        )
    return activity


@dataclass(frozen=True)
class _Entry:
    title: str
    channel: str
    happened_on: datetime.date
    reach: dict[str, int]


def _checked_activity(
    campaign: Campaign,
    title: str,
    channel: str,
    happened_on: datetime.date,
    reach: Mapping[str, int | None],
) -> _Entry:
    problems: dict[str, str] = {}
    title = (title or "").strip()
    if not title:
        problems["title"] = _("Enter what the activity was")
    elif len(title) > 200:
        problems["title"] = _("What it was must be 200 characters or fewer")
    elif "\x00" in title:
        # A CSV file can carry a NUL byte, which PostgreSQL refuses to store.
        problems["title"] = _("Remove the unreadable characters. Type or paste plain text only.")
    if channel not in Channel.values:
        problems["channel"] = _("Select the channel")
    # A little slack either side: a radio trail the week before, a stall the day after.
    slack = datetime.timedelta(days=31)
    if not campaign.starts_on - slack <= happened_on <= campaign.ends_on + slack:
        problems["happened_on"] = _(
            "Enter a date within the campaign, from %(start)s to %(end)s"
        ) % {"start": campaign.starts_on.isoformat(), "end": campaign.ends_on.isoformat()}
    try:
        figures = _checked_reach(reach)
    except ValidationError as error:
        problems.update({key: messages[0] for key, messages in error.message_dict.items()})
        figures = {}
    if problems:
        raise ValidationError(problems)
    return _Entry(title=title, channel=channel, happened_on=happened_on, reach=figures)


def _checked_reach(reach: Mapping[str, int | None]) -> dict[str, int]:
    problems, figures = {}, {}
    for kind, value in reach.items():
        if kind not in ReachKind.values:
            raise ValidationError({"reach": _("Select kinds of reach from the list")})
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_REACH:
            problems[kind] = _("Enter a whole number from 0 to 100,000,000")
        else:
            figures[kind] = value
    if problems:
        raise ValidationError(problems)
    return figures


def _store_activities(
    campaign: Campaign,
    actor: User,
    entries: Sequence[tuple[uuid.UUID, _Entry, LocalAuthorityArea | None]],
    source: str,
) -> list[Activity]:
    """Number and insert activities and their reach (inside the caller's transaction)."""
    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    last = locked.activities.aggregate(last=Max("number"))["last"] or 0
    activities = [
        Activity(
            campaign=locked,
            number=last + index,
            submission_key=key,
            title=entry.title,
            channel=entry.channel,
            happened_on=entry.happened_on,
            area=area,
            created_by=actor,
        )
        for index, (key, entry, area) in enumerate(entries, start=1)
    ]
    Activity.objects.bulk_create(activities)
    stored = {
        activity.number: activity
        for activity in Activity.objects.filter(
            campaign=locked, number__gt=last, number__lte=last + len(activities)
        )
    }
    ReachFigure.objects.bulk_create(
        ReachFigure(activity=stored[last + index], kind=kind, value=value, source=source)
        for index, (_key, entry, _area) in enumerate(entries, start=1)
        for kind, value in entry.reach.items()
    )
    return [stored[activity.number] for activity in activities]


# Importing reach from a platform's or a station's CSV file.


@dataclass(frozen=True)
class ImportProblem:
    line: int
    column: str
    message: str


@dataclass
class ImportResult:
    problems: list[ImportProblem]
    activities: int = 0

    @property
    def stored(self) -> bool:
        return not self.problems and self.activities > 0


def import_reach(
    *,
    campaign: Campaign,
    actor: User,
    upload: UploadedFile,
    context: AuditContext | None = None,
) -> ImportResult:
    """Store every row of the file as an activity with its reach, or none of them.

    ``csv_files.FileRefused`` when the file as a whole is not the template; otherwise
    the result lists every problem by line and column, and stores nothing if there is one.
    """
    if not access.can_manage_campaigns(actor):
        raise PermissionDenied
    rows = csv_files.read_rows(
        upload,
        columns=IMPORT_COLUMNS,
        required=IMPORT_REQUIRED,
        max_rows=MAX_IMPORT_ROWS,
        max_bytes=MAX_IMPORT_BYTES,
        no_rows_message=_("The file has a header row but no activities under it"),
    )
    areas = _areas_by_name_or_code()
    entries, problems = [], []
    for row in rows:
        entry, area, row_problems = _checked_row(campaign, row, areas)
        problems.extend(row_problems)
        if entry is not None:
            entries.append((uuid.uuid4(), entry, area))
    if problems:
        return ImportResult(problems=problems)
    with transaction.atomic():
        _store_activities(campaign, actor, entries, ReachFigure.Source.IMPORTED)
        audit.record(
            action=audit.Action.CAMPAIGN_REACH_IMPORTED,
            actor=actor,
            target=campaign,
            context=context,
            detail={"activities": len(entries), "file": (upload.name or "")[:100]},
        )
    return ImportResult(problems=[], activities=len(entries))


def _areas_by_name_or_code() -> dict[str, LocalAuthorityArea]:
    found = {}
    for area in LocalAuthorityArea.objects.all():
        found[area.gss_code.lower()] = area
        found[area.name.lower()] = area
    return found


_CHANNEL_NAMES = {
    **{value: value for value in Channel.values},
    **{str(label).lower(): value for value, label in Channel.choices},
}


def _checked_row(
    campaign: Campaign, row: csv_files.Row, areas: Mapping[str, LocalAuthorityArea]
) -> tuple[_Entry | None, LocalAuthorityArea | None, list[ImportProblem]]:
    problems = []

    def problem(column: str, message: str) -> None:
        problems.append(ImportProblem(line=row.line, column=column, message=message))

    values = {}
    for column, cell in row.values.items():
        if csv_files.looks_like_formula(cell):
            problem(column, _("Starts with a character spreadsheets run as a formula. Remove it"))
        else:
            values[column] = csv_files.unescape_cell(cell).strip()
    happened_on = _date(values.get("date", ""))
    if happened_on is None and "date" in values:
        problem("date", _("Enter the date as YYYY-MM-DD or DD/MM/YYYY"))
    channel = _CHANNEL_NAMES.get(values.get("channel", "").lower(), "")
    if "channel" in values and not channel:
        problem("channel", _("Enter a channel: %s") % ", ".join(Channel.values))
    area = None
    if values.get("area"):
        area = areas.get(values["area"].lower())
        if area is None:
            problem("area", _("Enter a local authority area’s name or GSS code, or leave it empty"))
    reach: dict[str, int | None] = {}
    for kind in REACH_COLUMNS:
        text = values.get(kind, "").replace(",", "").replace(" ", "")
        if not text:
            continue
        if not text.isascii() or not text.isdigit() or len(text) > 9:
            problem(kind, _("Enter a whole number from 0 to 100,000,000"))
        else:
            reach[kind] = int(text)
    if problems or happened_on is None:
        return None, None, problems
    try:
        entry = _checked_activity(campaign, values.get("activity", ""), channel, happened_on, reach)
    except ValidationError as error:
        column_of = {"title": "activity", "happened_on": "date"}
        for field, messages in error.message_dict.items():
            for message in messages:
                problem(column_of.get(field, field), message)
        return None, None, problems
    return entry, area, problems


def _date(text: str) -> datetime.date | None:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def import_template_lines() -> Iterable[str]:
    """The import template: the header row and one example row."""
    example = ["2026-10-18", "Anti-Slavery Day post", "social_media", "Leicester"]
    example += ["5400", "120", "", "", "", "", ""]
    return csv_files.csv_lines([IMPORT_COLUMNS, example])


# Materials.


def add_material(
    *,
    campaign: Campaign,
    actor: User,
    upload: UploadedFile,
    title: str,
    is_public: bool = False,
    context: AuditContext | None = None,
) -> Material:
    """Keep a file of the campaign in private storage; refused whole if it is not allowed."""
    if not access.can_manage_campaigns(actor):
        raise PermissionDenied
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Enter a title for the material")})
    if len(title) > 200:
        raise ValidationError({"title": _("Title must be 200 characters or fewer")})
    name = (upload.name or "").rsplit("/", 1)[-1][:200]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in MATERIAL_EXTENSIONS:
        raise ValidationError(
            {"file": _("The file must be one of: %s") % ", ".join(sorted(MATERIAL_EXTENSIONS))}
        )
    if upload.size is None or upload.size > MAX_MATERIAL_BYTES:
        raise ValidationError({"file": _("The file must be 20 MB or smaller")})
    content = upload.read(MAX_MATERIAL_BYTES + 1)
    if not content:
        raise ValidationError({"file": _("The selected file is empty")})
    if len(content) > MAX_MATERIAL_BYTES:
        raise ValidationError({"file": _("The file must be 20 MB or smaller")})
    if not materials.content_matches(extension, content):
        raise ValidationError(
            {
                "file": _(
                    "The file's content is not a %(kind)s file: choose the file again, or "
                    "save it in that format"
                )
                % {"kind": extension.upper()}
            }
        )
    material = Material(
        campaign=campaign,
        title=title,
        original_name=name,
        extension=extension,
        size=len(content),
        is_public=is_public,
        uploaded_by=actor,
    )
    material.file.save(f"material.{extension}", ContentFile(content), save=False)
    try:
        with transaction.atomic():
            material.save()
            audit.record(
                action=audit.Action.CAMPAIGN_MATERIAL_ADDED,
                actor=actor,
                target=campaign,
                context=context,
                detail={"material": material.pk, "public": is_public},
            )
    except Exception:
        material.file.delete(save=False)
        raise
    return material


def remove_material(
    *, material: Material, actor: User, context: AuditContext | None = None
) -> None:
    """Remove a material and its file (the audit log keeps that it existed)."""
    if not access.can_manage_campaigns(actor):
        raise PermissionDenied
    campaign = material.campaign
    with transaction.atomic():
        audit.record(
            action=audit.Action.CAMPAIGN_MATERIAL_REMOVED,
            actor=actor,
            target=campaign,
            context=context,
            detail={"material": material.pk, "title": material.title},
        )
        file = material.file
        material.delete()
        transaction.on_commit(lambda: file.delete(save=False))


# Visits through a short link.


def count_visit(*, code: str, on: datetime.date | None = None) -> Campaign | None:
    """Count one visit through the link ``code`` today; ``None`` for an unknown code.

    Only the count per campaign (and activity) per day is kept: nothing about the visitor.
    """
    target = selectors.link_target(code)
    if target is None:
        return None
    campaign, activity = target
    day = on or timezone.localdate()
    with transaction.atomic():
        updated = LinkVisit.objects.filter(campaign=campaign, activity=activity, day=day).update(
            count=F("count") + 1
        )
        if not updated:
            try:
                with transaction.atomic():
                    LinkVisit.objects.create(campaign=campaign, activity=activity, day=day, count=1)
            except IntegrityError:
                LinkVisit.objects.filter(campaign=campaign, activity=activity, day=day).update(
                    count=F("count") + 1
                )
    return campaign
