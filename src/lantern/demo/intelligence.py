"""Several years of synthetic intelligence for Leicester, Leicestershire and Rutland.

``lantern demo`` loads a few thousand reports so that the hub's pages look like a working
partnership; ``bench/intelligence.py`` loads 300,000 with the same function to measure the
pages at scale. Everything is invented, assembled from templates: monthly volumes follow
the growth of national NRM referrals, exploitation types lean the way DOMAIN.md §1
describes (criminal and labour first, most children in criminal exploitation), places are
LLR towns and postcode districts (§6), and premises, businesses, vehicles, phones and
people recur across reports from different agencies, as real intelligence does. Phone
numbers are Ofcom's drama range (07700 900000 to 900999), registrations carry a Q among
their last three letters (never issued by the DVLA), web and email addresses use reserved
example domains.

The reports are written in bulk, without the submission service: the audit log records
no submission for them. The generator is deterministic for a seed and a cut-off time, and
idempotent: a seed's reports are written once, in one transaction, or not at all.
"""

import contextlib
import datetime
import math
import random
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from lantern.core import access, lookups, normalisers, references
from lantern.core import selectors as core_selectors
from lantern.core.models import LocalAuthorityArea, Organisation, OrganisationType, User
from lantern.demo import partnership
from lantern.entities.models import Mention, MentionKind, MentionRole
from lantern.intelligence.models import (
    ClosingReason,
    HandlingCode,
    IntelligenceReport,
    Regrading,
    Sector,
    Status,
    StatusChange,
    Tasking,
    TaskingResult,
    TaskingStatus,
)

DEMO_COUNT = 2500
FIRST_DAY = partnership.FIRST_DAY
DEFAULT_SEED = partnership.DEFAULT_SEED
# NRM referrals in the UK by year (DOMAIN.md §1): the demo's volumes grow as they did.
NATIONAL_REFERRALS = {2021: 12727, 2022: 16938, 2023: 17004, 2024: 19125, 2025: 23411}
_NAMESPACE = uuid.UUID("0b7c2f8e-3d4a-4e61-9a57-6c1e8d2f4b90")
_CHUNK = 5000
_POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # letters used in the inward part of a postcode


# Places: towns with their postcode district and a few real street names. Which area a
# postcode belongs to is asked of core.selectors, as for a partner's own submission.


@dataclass(frozen=True)
class _Town:
    name: str
    district: str
    streets: tuple[str, ...]


_TOWNS = (
    _Town("Leicester", "LE1", ("Granby Street", "Church Gate", "Humberstone Gate")),
    _Town("Leicester", "LE2", ("London Road", "Evington Road", "Aylestone Road")),
    _Town("Leicester", "LE3", ("Narborough Road", "Hinckley Road", "Fosse Road South")),
    _Town("Leicester", "LE4", ("Belgrave Road", "Melton Road", "Abbey Lane")),
    _Town("Leicester", "LE5", ("Humberstone Road", "Uppingham Road", "St Saviours Road")),
    _Town("Blaby", "LE8", ("Lutterworth Road", "Sycamore Street")),
    _Town("Whetstone", "LE8", ("High Street", "Cambridge Road")),
    _Town("Enderby", "LE19", ("Mill Lane", "Leicester Lane")),
    _Town("Narborough", "LE19", ("Leicester Road", "Station Road")),
    _Town("Kirby Muxloe", "LE9", ("Main Street",)),
    _Town("Loughborough", "LE11", ("Market Street", "Derby Road", "Ashby Road")),
    _Town("Shepshed", "LE12", ("Charnwood Road", "Loughborough Road")),
    _Town("Syston", "LE7", ("High Street", "Melton Road")),
    _Town("Market Harborough", "LE16", ("St Mary's Road", "Northampton Road")),
    _Town("Lutterworth", "LE17", ("Magna Park", "Leicester Road", "Station Road")),
    _Town("Hinckley", "LE10", ("Coventry Road", "Castle Street", "Watling Street")),
    _Town("Market Bosworth", "CV13", ("Station Road",)),
    _Town("Ratby", "LE6", ("Main Street",)),
    _Town("Melton Mowbray", "LE13", ("Nottingham Street", "Leicester Road", "Scalford Road")),
    _Town("Asfordby", "LE14", ("Main Street",)),
    _Town("Coalville", "LE67", ("Belvoir Road", "Ashby Road", "Whitwick Road")),
    _Town("Ashby-de-la-Zouch", "LE65", ("Market Street", "Tamworth Road")),
    _Town("Castle Donington", "DE74", ("Station Road", "Bondgate")),
    _Town("Measham", "DE12", ("High Street",)),
    _Town("Wigston", "LE18", ("Leicester Road", "Bell Street", "Blaby Road")),
    _Town("Oakham", "LE15", ("High Street", "Mill Street", "Station Road")),
    _Town("Uppingham", "LE15", ("High Street East",)),
    _Town("Ketton", "PE9", ("High Street",)),
)


# What the reports are about. Weights give the national mix (DOMAIN.md §1): criminal ≈ 36%,
# labour ≈ 30%, sexual ≈ 17%, domestic servitude ≈ 6%, not specified ≈ 11%, organ
# harvesting a trace; children mostly in criminal and sexual exploitation.


@dataclass(frozen=True)
class _Scenario:
    weight: float
    types: tuple[str, ...]
    child_share: float
    sector: str
    indicators: tuple[str, ...]
    summaries: tuple[str, ...]
    details: tuple[str, ...]
    # Area names → weights; empty means the areas' populations.
    areas: dict[str, float] = field(default_factory=dict)
    # Business names are "<first> <second>"; none for scenarios about private houses.
    business_words: tuple[tuple[str, ...], tuple[str, ...]] | None = None
    business_kind: str = ""
    mentions: tuple[str, ...] = ()
    # Organisation types an analyst tasks, most likely first.
    taskable: tuple[str, ...] = (OrganisationType.POLICE, OrganisationType.LOCAL_AUTHORITY)
    # A second exploitation type, with its probability.
    also: tuple[str, float] | None = None


_LABOUR_TASKABLE = (
    OrganisationType.LAW_ENFORCEMENT,
    OrganisationType.FIRE_AND_RESCUE,
    OrganisationType.LOCAL_AUTHORITY,
    OrganisationType.POLICE,
)

_SCENARIOS = (
    _Scenario(
        weight=13,
        types=("criminal",),
        child_share=0.9,
        sector=Sector.OTHER,
        areas={
            "Charnwood": 3,
            "North West Leicestershire": 2,
            "Hinckley and Bosworth": 2,
            "Leicester": 2,
            "Melton": 1.5,
            "Harborough": 1.5,
            "Rutland": 1,
        },
        indicators=("unusual_travel", "controlled", "fear_of_authorities", "threats", "injuries"),
        summaries=(
            "Boy from Leicester believed to be dealing drugs in {town}",
            "Teenagers travelling by train to {town}, suspected county line",
            "Suspected cuckooing of a vulnerable adult's flat on {street}, {town}",
            "Child missing from home found at an address in {town} with older men",
            "County lines: drugs line advertised to users in {town}",
        ),
        details=(
            "A boy aged about {age} has been reported missing {count} times this month and "
            "comes back with new clothes, cash and a second phone.",
            "He has been seen getting off the train at {town} with older males and staying "
            "at an address on {street}.",
            "A vulnerable adult who lives alone on {street} has had young people staying at "
            "the flat; neighbours report visitors at all hours.",
            "Bulk text messages advertising drugs are being sent to users in {town}; the "
            "county line is believed to be run from Leicester.",
            "The boy has an unexplained injury to his hand and would not say how it happened.",
            "School reports a sudden drop in attendance and a new group of older friends.",
            "He told staff he 'owes' money after a package was taken from him and is scared "
            "to go home.",
        ),
        mentions=("vehicle", "phone", "exploiter", "victim"),
        also=("sexual", 0.1),
    ),
    _Scenario(
        weight=9,
        types=("criminal",),
        child_share=0.35,
        sector=Sector.CANNABIS,
        indicators=(
            "poor_living_conditions",
            "restricted_movement",
            "documents_held",
            "debt",
            "does_not_know_address",
        ),
        summaries=(
            "Suspected cannabis farm at a house on {street}, {town}",
            "Windows covered and strong smell at a rented house in {town}",
            "Young man found at a cannabis grow in {town}, appears to live on site",
        ),
        details=(
            "The windows are covered from the inside and there is a strong smell of cannabis "
            "from the loft.",
            "The electricity supply appears to have been bypassed; the wiring is a fire risk.",
            "A young man was seen through the back gate; he does not appear to leave the house.",
            "Food is delivered twice a week by a man who lets himself in with a key.",
            "The person found at the address did not know which town he was in and had no "
            "identity documents.",
            "He said he had to work off a debt for his journey to the UK.",
        ),
        mentions=("vehicle", "exploiter", "victim"),
        taskable=(
            OrganisationType.POLICE,
            OrganisationType.FIRE_AND_RESCUE,
            OrganisationType.LOCAL_AUTHORITY,
        ),
    ),
    _Scenario(
        weight=14,
        types=("criminal",),
        child_share=0.45,
        sector=Sector.OTHER,
        indicators=("controlled", "wages_held", "debt", "threats", "few_possessions"),
        summaries=(
            "Adults begging in {town} centre, dropped off and collected by car",
            "Young people shoplifting to order in {town}",
            "Bank accounts opened in workers' names and controlled by others",
            "Vulnerable adult's benefits taken by a 'friend' in {town}",
        ),
        details=(
            "{count} adults are dropped off in the town centre early each morning and "
            "collected in the evening; they hand over the money they are given.",
            "The same people beg at different spots each day and do not speak to anyone.",
            "Store staff report teenagers stealing high-value goods that they hand to an adult "
            "waiting outside.",
            "Bank cards in the workers' names are kept by the man who collects their rent.",
            "A man who says he is her carer collects her benefits and she has no money for food.",
        ),
        mentions=("bank", "exploiter", "victim", "vehicle"),
    ),
    _Scenario(
        weight=8,
        types=("labour",),
        child_share=0.03,
        sector=Sector.HAND_CAR_WASH,
        areas={
            "Leicester": 4,
            "Blaby": 2,
            "Hinckley and Bosworth": 1.5,
            "Charnwood": 1.5,
            "North West Leicestershire": 1,
            "Harborough": 0.5,
        },
        indicators=(
            "no_protective_equipment",
            "poor_living_conditions",
            "long_hours",
            "wages_held",
            "controlled",
            "unsuitable_clothing",
        ),
        summaries=(
            "Workers living on site at {business}, {town}",
            "Car wash workers on {street} without gloves or boots",
            "{count} men working long hours at {business}",
            "Cash-only car wash on {street}, {town}: manager takes the wages",
        ),
        details=(
            "{count} men were washing cars without gloves or boots despite the chemicals.",
            "Workers appear to sleep in a portable cabin behind the wash.",
            "The business takes cash only, gives no receipts and its prices are very low.",
            "One older man takes all the cash and speaks for the workers.",
            "The workers arrive together in the same van at 7am and leave after 9pm.",
            "A worker said he is paid £20 a day and the rest goes on rent for a room he "
            "shares with five others.",
        ),
        business_words=(
            ("Sparkle", "Diamond", "Supreme", "Crystal", "Eco", "Premier", "Gleam", "Star"),
            ("Hand Car Wash", "Car Valeting", "Hand Wash & Valet"),
        ),
        business_kind="hand car wash",
        mentions=("vehicle", "phone", "exploiter"),
        taskable=_LABOUR_TASKABLE,
    ),
    _Scenario(
        weight=4,
        types=("labour",),
        child_share=0.1,
        sector=Sector.NAIL_BAR,
        areas={
            "Leicester": 3,
            "Charnwood": 1.5,
            "Hinckley and Bosworth": 1,
            "Harborough": 1,
            "Melton": 1,
            "Oadby and Wigston": 1,
            "Rutland": 0.5,
        },
        indicators=(
            "long_hours",
            "poor_living_conditions",
            "controlled",
            "documents_held",
            "fear_of_authorities",
        ),
        summaries=(
            "Young staff at {business} appear to live above the shop",
            "Nail bar in {town} centre open seven days, staff never leave",
            "Girl who looks under 16 working at {business}, {town}",
        ),
        details=(
            "Staff work from opening to closing seven days a week and appear to live above "
            "the shop.",
            "The workers speak very little English and a woman answers every question for them.",
            "The shop takes cash only and customers are asked not to pay by card.",
            "One worker looked about {age} and was doing pedicures during school hours.",
            "A man drops the staff off in the morning and collects them at night.",
        ),
        business_words=(
            ("Luxe", "Pearl", "Lotus", "Angel", "Glamour", "Perfect", "Crystal"),
            ("Nails", "Nail Bar", "Nails & Beauty"),
        ),
        business_kind="nail bar",
        mentions=("vehicle", "phone", "exploiter", "victim"),
        taskable=_LABOUR_TASKABLE,
        also=("sexual", 0.05),
    ),
    _Scenario(
        weight=5,
        types=("labour",),
        child_share=0.02,
        sector=Sector.AGRICULTURE,
        areas={
            "Melton": 3,
            "Harborough": 2.5,
            "Rutland": 2,
            "North West Leicestershire": 1,
            "Charnwood": 1,
        },
        indicators=(
            "unusual_travel",
            "wages_held",
            "debt",
            "poor_living_conditions",
            "documents_held",
            "long_hours",
        ),
        summaries=(
            "Farm workers bussed in by an unlicensed gangmaster near {town}",
            "Deductions for housing leave packhouse workers at {business} with almost nothing",
            "Workers recruited abroad housed in caravans near {town}",
        ),
        details=(
            "A minibus collects about {count} workers from a house in {town} at 5am and brings "
            "them back after 8pm.",
            "Workers say a gangmaster takes their wages and pays them cash after deductions "
            "for housing and transport.",
            "They were recruited abroad through a social media advert promising good pay.",
            "{count} people share a three-bedroom house; some sleep on mattresses in the kitchen.",
            "Their passports are 'kept safe' by the supervisor.",
        ),
        business_words=(
            ("Wolds", "Vale", "Welland", "Eye Brook", "Soar"),
            ("Fresh Produce Ltd", "Growers", "Packing Ltd", "Labour Solutions Ltd"),
        ),
        business_kind="food packing and farm labour",
        mentions=("vehicle", "phone", "exploiter", "email"),
        taskable=_LABOUR_TASKABLE,
    ),
    _Scenario(
        weight=4,
        types=("labour",),
        child_share=0.02,
        sector=Sector.CONSTRUCTION,
        indicators=(
            "no_protective_equipment",
            "poor_living_conditions",
            "long_hours",
            "wages_held",
            "debt",
        ),
        summaries=(
            "Labourers housed on a building site in {town}",
            "Construction workers without safety equipment on {street}, {town}",
            "Workers recruited abroad for {business} have not been paid",
        ),
        details=(
            "Labourers are sleeping in a shipping container on the site.",
            "They work twelve-hour days, six or seven days a week, with no boots or helmets.",
            "A worker said he has not been paid for two months because he still 'owes' for "
            "his flight.",
        ),
        business_words=(
            ("Midshires", "Castle", "Forest", "Charnwood Vale", "Summit"),
            ("Groundworks Ltd", "Building Services", "Construction Ltd"),
        ),
        business_kind="construction",
        mentions=("vehicle", "phone", "exploiter"),
        taskable=_LABOUR_TASKABLE,
    ),
    _Scenario(
        weight=4,
        types=("labour",),
        child_share=0.01,
        sector=Sector.MANUFACTURING,
        areas={"Leicester": 5, "Charnwood": 1, "Hinckley and Bosworth": 1},
        indicators=("long_hours", "wages_held", "controlled"),
        summaries=(
            "Workers at {business} paid well below the minimum wage",
            "Cash-in-hand shifts and blocked fire exits at a unit on {street}, {town}",
            "Concerns about pay and safety at a factory unit in {town}",
        ),
        details=(
            "Workers say they are paid £3 to £4 an hour in cash, well below the minimum wage.",
            "Fire exits in the unit were blocked with stock during the visit.",
            "Payslips show hours that do not match the hours the workers say they work.",
            "Workers were told about their rights and given the helpline number; no sign of "
            "restricted movement was seen.",
        ),
        business_words=(
            ("Spinney", "Abbey", "Castle", "Soar Valley", "Fosse"),
            ("Textiles Ltd", "Fashions Ltd", "Packaging Ltd", "Print & Pack Ltd"),
        ),
        business_kind="manufacturing",
        mentions=("phone", "exploiter"),
        taskable=(
            OrganisationType.LAW_ENFORCEMENT,
            OrganisationType.PUBLIC_BODY,
            OrganisationType.FIRE_AND_RESCUE,
        ),
    ),
    _Scenario(
        weight=3,
        types=("labour",),
        child_share=0.05,
        sector=Sector.HOSPITALITY,
        indicators=("long_hours", "poor_living_conditions", "wages_held", "controlled"),
        summaries=(
            "Kitchen staff at {business} sleep in the restaurant",
            "Hotel cleaners in {town} paid per room by a third party",
            "Takeaway worker in {town} has not had a day off in months",
        ),
        details=(
            "Staff sleep on the floor of the storeroom after closing.",
            "Cleaners are paid per room through an agency and say they earn less than £30 "
            "for a ten-hour day.",
            "The worker said his employer arranged his visa and keeps his passport.",
        ),
        business_words=(
            ("Royal", "Golden", "Spice", "Riverside", "Corner"),
            ("Takeaway", "Kitchen", "Hotel", "Restaurant"),
        ),
        business_kind="hospitality",
        mentions=("phone", "exploiter", "victim"),
        taskable=_LABOUR_TASKABLE,
    ),
    _Scenario(
        weight=2,
        types=("labour",),
        child_share=0.0,
        sector=Sector.OTHER,
        areas={"Harborough": 3, "North West Leicestershire": 3, "Blaby": 1},
        indicators=(
            "unusual_travel",
            "wages_held",
            "debt",
            "poor_living_conditions",
            "documents_held",
        ),
        summaries=(
            "Agency warehouse workers at {business} have wages paid into one account",
            "Workers bussed to a distribution centre near {town} from a crowded house",
        ),
        details=(
            "Several agency workers give the same address and have their wages paid into the "
            "same bank account.",
            "They are driven to the warehouse in a van at 5am and may not use their own phones.",
        ),
        business_words=(
            ("Magna", "Midlands", "Gateway", "Crossroads"),
            ("Logistics Ltd", "Staffing Solutions Ltd", "Distribution Ltd"),
        ),
        business_kind="logistics",
        mentions=("vehicle", "exploiter", "email", "bank"),
        taskable=(OrganisationType.LAW_ENFORCEMENT, OrganisationType.POLICE),
    ),
    _Scenario(
        weight=6,
        types=("sexual",),
        child_share=0.05,
        sector=Sector.SEX_WORK,
        areas={"Leicester": 4, "Charnwood": 1, "Blaby": 1, "Hinckley and Bosworth": 1},
        indicators=(
            "controlled",
            "restricted_movement",
            "documents_held",
            "fear_of_authorities",
            "few_possessions",
        ),
        summaries=(
            "Several women at a house on {street}, {town}, with frequent short visits by men",
            "Suspected brothel above {business}, {town}",
            "Women at {business} appear to be controlled by the man who drives them",
        ),
        details=(
            "Neighbours report men arriving and leaving every twenty minutes, late into the night.",
            "{count} women appear to live at the address and are never seen leaving alone.",
            "A man collects money from the address every evening.",
            "The women change every few weeks.",
        ),
        business_words=(("Oasis", "Orchid", "Jade", "Silk"), ("Massage", "Spa", "Health Studio")),
        business_kind="massage parlour",
        mentions=("phone", "online", "vehicle", "exploiter", "victim"),
    ),
    _Scenario(
        weight=4,
        types=("sexual",),
        child_share=0.05,
        sector=Sector.SEX_WORK,
        areas={"Leicester": 3, "Blaby": 1, "Charnwood": 1, "North West Leicestershire": 1},
        indicators=("controlled", "unusual_travel", "fear_of_authorities", "documents_held"),
        summaries=(
            "Adult services adverts linked to short hotel stays in {town}",
            "Women moved between hotels near {town} every few days",
            "Pop-up brothel in a short-let flat on {street}, {town}",
        ),
        details=(
            "Hotel staff report a woman who stays two nights, receives many male visitors and "
            "is collected by the same man.",
            "The same phone number appears on adverts in several cities.",
            "The room was booked and paid for by a man who did not stay.",
        ),
        mentions=("phone", "online", "vehicle", "exploiter", "victim"),
        taskable=(OrganisationType.POLICE, OrganisationType.LAW_ENFORCEMENT),
    ),
    _Scenario(
        weight=7,
        types=("sexual",),
        child_share=1.0,
        sector=Sector.UNKNOWN,
        indicators=("controlled", "unusual_travel", "fear_of_authorities", "injuries", "threats"),
        summaries=(
            "Girl aged {age} picked up from school by older men in different cars",
            "Child sexual exploitation concern: girl in care going missing overnight",
            "Boy given alcohol and gifts by adult men at a flat in {town}",
        ),
        details=(
            "She has been seen getting into cars driven by men in their twenties outside school.",
            "She comes back after being missing overnight with new phones, clothes and money.",
            "An older man contacts her through social media and tells her not to tell her carers.",
            "Staff at the children's home report she has been to parties at a flat in {town}.",
        ),
        mentions=("vehicle", "phone", "online", "exploiter", "victim"),
        also=("criminal", 0.3),
    ),
    _Scenario(
        weight=6,
        types=("domestic_servitude",),
        child_share=0.15,
        sector=Sector.DOMESTIC_WORK,
        indicators=(
            "restricted_movement",
            "documents_held",
            "long_hours",
            "few_possessions",
            "malnourished",
        ),
        summaries=(
            "Live-in domestic worker in {town} cannot leave the house",
            "Woman brought from abroad as a nanny works without pay",
            "Young relative kept from school to look after a family in {town}",
        ),
        details=(
            "She cleans, cooks and looks after the children from 6am until midnight and sleeps "
            "on the kitchen floor.",
            "Her passport is kept by the family and she has never been paid.",
            "She is never allowed out alone and the family answer for her.",
            "She told a GP receptionist that she wants to leave but has nowhere to go.",
        ),
        mentions=("victim", "exploiter"),
        taskable=(
            OrganisationType.POLICE,
            OrganisationType.LOCAL_AUTHORITY,
            OrganisationType.CHARITY,
        ),
        also=("labour", 0.1),
    ),
    _Scenario(
        weight=10.8,
        types=(),
        child_share=0.45,
        sector=Sector.UNKNOWN,
        indicators=(
            "controlled",
            "poor_living_conditions",
            "few_possessions",
            "malnourished",
            "fear_of_authorities",
        ),
        summaries=(
            "Concern about people living in a crowded house on {street}, {town}",
            "Man seen collecting groups of workers from a {town} car park",
            "Person seeking help with no documents and no money in {town}",
        ),
        details=(
            "Up to {count} adults appear to live at a house with covered windows and mattresses "
            "in every room.",
            "A van collects a group from the car park at 6am every day.",
            "The man said he does not know the address where he lives.",
            "It is not clear what work they do; the concern is passed on for assessment.",
        ),
        mentions=("vehicle", "phone", "victim"),
        taskable=(
            OrganisationType.POLICE,
            OrganisationType.LOCAL_AUTHORITY,
            OrganisationType.CHARITY,
        ),
    ),
    _Scenario(
        weight=0.2,
        types=("organ_harvesting",),
        child_share=0.0,
        sector=Sector.UNKNOWN,
        indicators=("debt", "threats", "documents_held"),
        summaries=("Woman told her debt could be cleared by travelling abroad for an operation",),
        details=(
            "She was told her debt would be cleared if she travelled abroad for a 'medical "
            "procedure'.",
            "She has been given a number to call to arrange the travel.",
        ),
        mentions=("victim", "exploiter", "phone"),
        taskable=(OrganisationType.POLICE, OrganisationType.LAW_ENFORCEMENT),
    ),
)

# How a report from each kind of partner begins (DOMAIN.md §7's organisation types).
_OPENINGS = {
    OrganisationType.POLICE: (
        "Officers attending {place} report that",
        "A neighbourhood policing team reports that",
        "A PCSO on patrol near {place} noticed that",
    ),
    OrganisationType.LAW_ENFORCEMENT: (
        "During an inspection at {place}, officers found that",
        "Enquiries by our officers indicate that",
    ),
    OrganisationType.LOCAL_AUTHORITY: (
        "Licensing officers visiting {place} found that",
        "A social worker reports that",
        "Environmental health officers inspecting {place} noticed that",
    ),
    OrganisationType.FIRE_AND_RESCUE: (
        "During a fire safety inspection at {place}, crews noticed that",
        "Crews attending a call to {place} found that",
    ),
    OrganisationType.HEALTH: (
        "A patient attending the emergency department disclosed that",
        "A paramedic attending a call to {place} noticed that",
        "A health visitor reports that",
    ),
    OrganisationType.CHARITY: (
        "A client told our caseworker that",
        "A volunteer at our drop-in reports that",
    ),
    OrganisationType.FAITH_OR_COMMUNITY: (
        "A member of our congregation told us that",
        "Volunteers at the community kitchen noticed that",
    ),
    OrganisationType.ACADEMIC: ("During fieldwork, a research participant said that",),
    OrganisationType.BUSINESS: (
        "A manager at one of our member sites raised a concern that",
        "Staff at a member business near {place} noticed that",
    ),
    OrganisationType.PUBLIC_BODY: ("Officers visiting {place} noticed that",),
}
# A partner's share of the reports, by its type (police and councils send most).
_SUBMISSION_WEIGHTS = {
    OrganisationType.POLICE: 30,
    OrganisationType.LAW_ENFORCEMENT: 9,
    OrganisationType.LOCAL_AUTHORITY: 22,
    OrganisationType.HEALTH: 10,
    OrganisationType.CHARITY: 13,
    OrganisationType.FIRE_AND_RESCUE: 5,
    OrganisationType.FAITH_OR_COMMUNITY: 4,
    OrganisationType.BUSINESS: 4,
    OrganisationType.ACADEMIC: 1,
    OrganisationType.PUBLIC_BODY: 2,
}
# How often a partner of each type restricts what it shares (handling code C).
_CONDITIONS_SHARE = {
    OrganisationType.POLICE: 0.4,
    OrganisationType.LAW_ENFORCEMENT: 0.45,
    OrganisationType.HEALTH: 0.6,
    OrganisationType.LOCAL_AUTHORITY: 0.3,
    OrganisationType.CHARITY: 0.25,
}
# Who a partner names in its conditions: agencies that act and those that support victims.
_NAMED_IN_CONDITIONS = (
    OrganisationType.POLICE,
    OrganisationType.LAW_ENFORCEMENT,
    OrganisationType.LOCAL_AUTHORITY,
    OrganisationType.HEALTH,
    OrganisationType.CHARITY,
)
_CONDITIONS = (
    "Source protection: do not disclose the source or act on this without speaking to the "
    "originator first.",
    "Contains information about a child: share only with safeguarding and police partners.",
    "Not for onward disclosure outside the hub: an operation is being planned.",
    "Health information given in confidence: use only to safeguard the people concerned.",
)

_ENTITY_SENTENCES = {
    "vehicle": (
        "A {vehicle}, registration {registration}, drops people off and collects them.",
        "The same {vehicle} ({registration}) has been seen at the address several times.",
        "A {vehicle} registered {registration} was parked outside during the visit.",
    ),
    "phone": (
        "The number {phone} is used to arrange work and transport.",
        "A man using the phone number {phone} appears to be in charge.",
        "The number {phone} was written on a note found at the address.",
    ),
    "exploiter": (
        "Someone named as {exploiter} appears to control the others.",
        "The others refer to {exploiter} as 'the boss'.",
        "{exploiter} was present and spoke for the others.",
    ),
    "victim": (
        "One person gave their name as {victim}.",
        "{victim} was spoken to alone and appeared frightened.",
    ),
    "online": (
        "Adverts at {profile} appear to be linked.",
        "The profile {profile} was used to make contact.",
    ),
    "email": ("Recruitment messages came from {email}.",),
    "bank": ("Wages are paid into an account ending {account}.",),
}
# A few partners work with French-speaking clients and quote them as they spoke.
_FRENCH_QUOTES = (
    "On nous a pris nos passeports à l'arrivée.",
    "Je dois rembourser ma dette avant de pouvoir partir.",
    "Nous dormons sur place et nous n'avons jamais de jour de repos.",
    "Ils menacent ma famille au pays si je parle à la police.",
)
_ASSESSMENTS = (
    "Corroborated by earlier reports that mention the same premises or people.",
    "Consistent with the indicators for this sector; the premises are known to partners.",
    "Single-source report, not yet corroborated. Gap: who controls the people concerned.",
    "Linked to an active line of enquiry; shared with the operation team.",
    "Low risk on the information available; kept for the intelligence picture.",
)
_TASKING_REQUESTS = {
    OrganisationType.POLICE: "Please run checks on the people and vehicles named and consider "
    "a welfare visit.",
    OrganisationType.LAW_ENFORCEMENT: "Please check licensing and carry out an inspection of "
    "the premises.",
    OrganisationType.LOCAL_AUTHORITY: "Please check whether the people named are known to your "
    "services and consider a safeguarding visit.",
    OrganisationType.FIRE_AND_RESCUE: "Please carry out a fire safety inspection and report on "
    "the sleeping arrangements.",
    OrganisationType.PUBLIC_BODY: "Please check the business's records and report any concerns.",
    OrganisationType.CHARITY: "Please offer support to the person concerned and tell us whether "
    "they want to be referred.",
}
_TASKING_RESPONSES = {
    TaskingResult.ACTION_TAKEN: "Visit carried out; people spoken to alone and offered support. "
    "Referral made where consent was given.",
    TaskingResult.INTELLIGENCE_CONFIRMED: "Inspection confirmed people living on the premises; "
    "enforcement notice served.",
    TaskingResult.NOTHING_FOUND: "Premises visited; no one living on site and no indicators seen.",
    TaskingResult.COULD_NOT_ACT: "No one answered on two visits; the business appears to have "
    "closed.",
}
_CLOSING_NOTES = {
    ClosingReason.NO_FURTHER_ACTION: "No indicators found after enquiries.",
    ClosingReason.REFERRED_TO_OPERATION: "Included in a joint multi-agency visit.",
    ClosingReason.REFERRED_FOR_SAFEGUARDING: "NRM referral made by the first responder.",
    ClosingReason.PASSED_ON: "The people concerned are now believed to be outside LLR.",
}
_REGRADING_REASONS = {
    "1": "The source has given reliable information before.",
    "B": "Corroborated by a second, independent source.",
    "D": "Partly contradicted by what officers found.",
    "E": "Enquiries suggest the report was malicious.",
}

_GIVEN_NAMES = [
    "Adrian",
    "Arben",
    "Besnik",
    "Bogdan",
    "Connor",
    "Daniel",
    "Dritan",
    "Florin",
    "Gary",
    "Hoang",
    "Ionut",
    "Jamal",
    "Kyle",
    "Lee",
    "Marek",
    "Minh",
    "Nathan",
    "Ovidiu",
    "Reece",
    "Ryan",
    "Samir",
    "Tuan",
    "Viktor",
    "Wayne",
    "Yonas",
    "Zoltan",
    "Amira",
    "Chloe",
    "Elena",
    "Gabriela",
    "Jade",
    "Leanne",
    "Maria",
    "Natasha",
    "Lan",
    "Sara",
]
# Women's names: from "Amira" on. The demo's safeguarding records take gender from them.
FEMALE_GIVEN_NAMES = frozenset(_GIVEN_NAMES[_GIVEN_NAMES.index("Amira") :])
_FAMILY_NAMES = [
    "Archer",
    "Baker",
    "Berisha",
    "Brown",
    "Carter",
    "Dinh",
    "Dumitru",
    "Gashi",
    "Hughes",
    "Kaczmarek",
    "Krasniqi",
    "Le",
    "Mahmoud",
    "Mills",
    "Nguyen",
    "Novak",
    "Osei",
    "Pham",
    "Popescu",
    "Price",
    "Shaw",
    "Tesfaye",
    "Turner",
    "Walker",
    "Ward",
    "Wright",
]
_VEHICLES = (
    "white Ford Transit van",
    "silver Vauxhall Zafira",
    "black Audi A3",
    "grey Toyota Prius",
    "blue Mercedes Sprinter minibus",
    "black BMW 3 Series",
    "white Renault Trafic van",
    "red Volkswagen Golf",
)
_MEMORY_TAGS = "AB AF BD BN CY DK EA FD FE FG FH FL FN FP GX HN KP LR MA NA PF RK SN VE WR YB"
_REGISTRATION_LETTERS = "ABCDEFGHJKLMNOPRSTUVWXY"  # the DVLA issues neither I nor Q...
_HANDLE_WORDS = [
    "angel",
    "sweet",
    "star",
    "quick",
    "cash",
    "jobs",
    "work",
    "easy",
    "new",
    "city",
    "rose",
    "lily",
    "kiss",
    "vip",
]


# The people, places and things that recur across reports.


@dataclass(frozen=True)
class _Place:
    address: str
    postcode: str
    town: str
    street: str
    area_id: int | None

    @property
    def written(self) -> str:
        return f"{self.address}, {self.postcode}"


@dataclass(frozen=True)
class _Business:
    name: str
    place: _Place


@dataclass(frozen=True)
class _Vehicle:
    description: str
    registration: str


@dataclass
class _Partner:
    organisation: Organisation
    submitters: list[User]
    area_ids: set[int]


@dataclass
class _World:
    """What every report draws on: partners, analysts, places and recurring entities."""

    randomiser: random.Random
    partners: list[_Partner]
    partner_weights: list[float]
    analysts: list[User]
    towns_by_area: dict[int, list[_Town]]
    area_ids_by_name: dict[str, int]
    population_by_area: dict[int, float]
    type_ids: dict[str, int]
    indicator_ids: dict[str, int]
    places: dict[int, list[_Place]]
    businesses: dict[int, list[_Business]]
    vehicles: list[_Vehicle]
    phones: list[str]
    people: list[str]
    profiles: list[str]
    emails: list[str]
    keys: dict[tuple[str, str], str] = field(default_factory=dict)

    def key(self, kind: str, value: str) -> str:
        """``normalisers.mention_key``, once per value: the same values recur all the time."""
        if (kind, value) not in self.keys:
            self.keys[kind, value] = normalisers.mention_key(kind, value)
        return self.keys[kind, value]

    def recurring[Item](self, items: Sequence[Item]) -> Item:
        """An item of a pool, the first ones far more often (a few hotspots, a long tail)."""
        return items[int(len(items) * self.randomiser.random() ** 1.5)]


def generate(
    count: int, *, seed: int = DEFAULT_SEED, until: datetime.datetime | None = None
) -> int:
    """Write ``count`` reports from ``FIRST_DAY`` to ``until`` (now); return how many were new.

    Needs the demo partnership (``partnership.generate``): partners with people who may
    submit, and at least one hub analyst. Runs once per seed: if the seed's first report
    exists, nothing is written and 0 is returned.
    """
    until = until or timezone.now().replace(second=0, microsecond=0)
    keys = _submission_keys(seed)
    if count <= 0 or IntelligenceReport.objects.filter(submission_key=next(keys)).exists():
        return 0
    world = _world(random.Random(seed), count)  # noqa: S311  (synthetic data, not security)
    used_references = set(IntelligenceReport.objects.values_list("reference", flat=True))
    keys = _submission_keys(seed)
    with transaction.atomic(), _keeping_creation_times(IntelligenceReport, Tasking):
        batch: list[_Draft] = []
        for created_at in _creation_times(world.randomiser, count, until):
            batch.append(_draft(world, created_at, until, next(keys), used_references))
            if len(batch) == _CHUNK:
                _write(batch)
                batch = []
        _write(batch)
    return count


@contextlib.contextmanager
def _keeping_creation_times(*record_types: type[models.Model]) -> Iterator[None]:
    """Let inserts keep the past ``created_at`` they carry instead of stamping the present.

    ``created_at`` is ``auto_now_add``; stamping and then updating 300,000 rows again would
    double the load's time. The flag is lifted only while the generator writes, which is
    safe in the processes that call it (the demo command, the benchmark, tests), never in
    a process serving requests.
    """
    stamps = [record_type._meta.get_field("created_at") for record_type in record_types]
    for stamp in stamps:
        stamp.auto_now_add = False
    try:
        yield
    finally:
        for stamp in stamps:
            stamp.auto_now_add = True


def _submission_keys(seed: int) -> Iterator[uuid.UUID]:
    number = 0
    while True:
        yield uuid.uuid5(_NAMESPACE, f"{seed}-{number}")
        number += 1


def _world(randomiser: random.Random, count: int) -> _World:
    partners = _partners()
    analysts = [
        user
        for user in User.objects.filter(is_active=True).order_by("email")
        if access.can_triage_intelligence(user)
    ]
    if not partners or not analysts:
        raise RuntimeError("Load the demo partnership first: intelligence needs partners.")
    areas = list(LocalAuthorityArea.objects.order_by("gss_code"))
    towns_by_area: dict[int, list[_Town]] = {}
    for town in _TOWNS:
        area_id = core_selectors.area_id_for_postcode(f"{town.district} 1AA")
        if area_id is not None:
            towns_by_area.setdefault(area_id, []).append(town)
    population_by_area = {
        area.pk: float(area.population or 1) for area in areas if area.pk in towns_by_area
    }
    world = _World(
        randomiser=randomiser,
        partners=partners,
        partner_weights=_partner_weights(partners),
        analysts=analysts,
        towns_by_area=towns_by_area,
        area_ids_by_name={area.name: area.pk for area in areas},
        population_by_area=population_by_area,
        type_ids=lookups.exploitation_type_ids(),
        indicator_ids=lookups.indicator_ids(),
        places={},
        businesses={},
        vehicles=[],
        phones=[],
        people=[],
        profiles=[],
        emails=[],
    )
    pool = max(40, count // 10)
    for area_id in towns_by_area:
        world.places[area_id] = [_new_place(world, area_id) for _ in range(pool // 4 + 5)]
    for index, scenario in enumerate(_SCENARIOS):
        if scenario.business_words is not None:
            size = max(6, int(count * scenario.weight / 100 / 15))
            world.businesses[index] = [
                _new_business(world, scenario, scenario.business_words) for _ in range(size)
            ]
    world.vehicles = [_new_vehicle(randomiser) for _ in range(pool)]
    world.phones = [f"07700 900{number:03d}" for number in randomiser.sample(range(1000), 1000)]
    world.people = [_new_name(randomiser) for _ in range(pool)]
    world.profiles = [
        f"https://adverts.example/leicester/{randomiser.choice(_HANDLE_WORDS)}-"
        f"{randomiser.choice(_HANDLE_WORDS)}-{randomiser.randrange(10, 99)}"
        for _ in range(pool // 2)
    ]
    world.emails = [
        f"{randomiser.choice(_HANDLE_WORDS)}.{randomiser.choice(_HANDLE_WORDS)}"
        f"{randomiser.randrange(1, 99)}@example.net"
        for _ in range(pool // 4)
    ]
    return world


def _partners() -> list[_Partner]:
    """Partners that take part in sharing and have someone who may submit, by name."""
    organisations = (
        Organisation.objects.filter(is_active=True, isa_signed_on__isnull=False)
        .order_by("name")
        .prefetch_related("areas")
    )
    submitters: dict[int, list[User]] = {}
    for user in User.objects.filter(organisation__in=organisations, is_active=True).order_by(
        "email"
    ):
        if access.can_submit_intelligence(user):
            submitters.setdefault(user.organisation_id, []).append(user)
    return [
        _Partner(
            organisation, submitters[organisation.pk], {a.pk for a in organisation.areas.all()}
        )
        for organisation in organisations
        if organisation.pk in submitters
    ]


def _partner_weights(partners: list[_Partner]) -> list[float]:
    per_type: dict[str, int] = {}
    for partner in partners:
        kind = partner.organisation.organisation_type
        per_type[kind] = per_type.get(kind, 0) + 1
    return [
        _SUBMISSION_WEIGHTS.get(partner.organisation.organisation_type, 1)
        / per_type[partner.organisation.organisation_type]
        for partner in partners
    ]


def _new_place(world: _World, area_id: int) -> _Place:
    randomiser = world.randomiser
    town = randomiser.choice(world.towns_by_area[area_id])
    street = randomiser.choice(town.streets)
    inward = (
        f"{randomiser.randrange(10)}"
        f"{randomiser.choice(_POSTCODE_LETTERS)}{randomiser.choice(_POSTCODE_LETTERS)}"
    )
    postcode = f"{town.district} {inward}"
    number = randomiser.randrange(1, 240)
    address = (
        f"Unit {number % 40 + 1}, {street}, {town.name}"
        if street.endswith("Park")
        else f"{number} {street}, {town.name}"
    )
    return _Place(
        address=address,
        postcode=postcode,
        town=town.name,
        street=street,
        area_id=core_selectors.area_id_for_postcode(postcode),
    )


def _new_business(
    world: _World, scenario: _Scenario, words: tuple[tuple[str, ...], tuple[str, ...]]
) -> _Business:
    first, second = words
    name = f"{world.randomiser.choice(first)} {world.randomiser.choice(second)}"
    return _Business(name=name, place=_new_place(world, _area_for(world, scenario)))


def _new_vehicle(randomiser: random.Random) -> _Vehicle:
    letters = [randomiser.choice(_REGISTRATION_LETTERS) for _ in range(2)]
    letters.insert(randomiser.randrange(3), "Q")  # ...so a Q marks the registration fictional
    age = randomiser.choice([*range(10, 25), *range(60, 75)])
    registration = f"{randomiser.choice(_MEMORY_TAGS.split())}{age} {''.join(letters)}"
    return _Vehicle(description=randomiser.choice(_VEHICLES), registration=registration)


def _new_name(randomiser: random.Random) -> str:
    return f"{randomiser.choice(_GIVEN_NAMES)} {randomiser.choice(_FAMILY_NAMES)}"


def _area_for(world: _World, scenario: _Scenario) -> int:
    if scenario.areas:
        names = list(scenario.areas)
        name = world.randomiser.choices(names, weights=list(scenario.areas.values()))[0]
        return world.area_ids_by_name[name]
    area_ids = list(world.population_by_area)
    return world.randomiser.choices(area_ids, weights=list(world.population_by_area.values()))[0]


# When: monthly volumes that grow like national referrals, none after ``until``.


def _creation_times(
    randomiser: random.Random, count: int, until: datetime.datetime
) -> Iterator[datetime.datetime]:
    """``count`` submission times, oldest first, spread over the months to ``until``."""
    months = list(_months(until.date()))
    weights = [_monthly_weight(randomiser, month, until) for month in months]
    total = sum(weights)
    shares = [count * weight / total for weight in weights]
    per_month = [math.floor(share) for share in shares]
    # Largest remainders take the reports rounding left over, so the total is exact.
    leftovers = sorted(range(len(months)), key=lambda index: per_month[index] - shares[index])
    for index in leftovers[: count - sum(per_month)]:
        per_month[index] += 1
    for month, number in zip(months, per_month, strict=True):
        start = datetime.datetime.combine(month, datetime.time(), tzinfo=datetime.UTC)
        end = min(_next_month(start), until)
        seconds = int((end - start).total_seconds())
        yield from sorted(
            _working_time(randomiser, start, seconds) for _ in range(number) if seconds > 0
        )


def _months(last_day: datetime.date) -> Iterator[datetime.date]:
    month = FIRST_DAY.replace(day=1)
    while month <= last_day:
        yield month
        month = _next_month(month)


def _next_month[Day: datetime.date](day: Day) -> Day:
    return day.replace(year=day.year + day.month // 12, month=day.month % 12 + 1, day=1)


def _monthly_weight(
    randomiser: random.Random, month: datetime.date, until: datetime.datetime
) -> float:
    """The national yearly figure, interpolated through the year, give or take 12%."""
    last_year = max(NATIONAL_REFERRALS)
    growth = NATIONAL_REFERRALS[last_year] / NATIONAL_REFERRALS[last_year - 1]

    def yearly(year: int) -> float:
        if year in NATIONAL_REFERRALS:
            return NATIONAL_REFERRALS[year]
        return NATIONAL_REFERRALS[last_year] * growth ** (year - last_year)

    fraction = (month.month - 0.5) / 12
    level = yearly(month.year) * (1 - fraction) + yearly(month.year + 1) * fraction
    start = datetime.datetime.combine(month, datetime.time(), tzinfo=datetime.UTC)
    end = _next_month(start)
    covered = max(0.0, min(1.0, (until - start) / (end - start)))
    return level * covered * randomiser.uniform(0.88, 1.12)


def _working_time(
    randomiser: random.Random, start: datetime.datetime, seconds: int
) -> datetime.datetime:
    """A moment in the period, mostly in office hours on a weekday."""
    moment = start + datetime.timedelta(seconds=randomiser.randrange(seconds))
    if randomiser.random() < 0.8 and moment.weekday() < 5 and not 8 <= moment.hour < 18:
        office = moment.replace(hour=randomiser.randrange(8, 18))
        if start <= office < start + datetime.timedelta(seconds=seconds):
            moment = office
    return moment


# One report, with its timeline, taskings, regrading and mentions, before it is written.


@dataclass
class _Draft:
    report: IntelligenceReport
    type_ids: list[int]
    indicator_ids: list[int]
    shared_with: list[int]
    changes: list[StatusChange]
    taskings: list[Tasking]
    regrading: Regrading | None
    mentions: list[Mention]


def _draft(
    world: _World,
    created_at: datetime.datetime,
    until: datetime.datetime,
    submission_key: uuid.UUID,
    used_references: set[str],
) -> _Draft:
    randomiser = world.randomiser
    scenario = randomiser.choices(_SCENARIOS, weights=[s.weight for s in _SCENARIOS])[0]
    partner = randomiser.choices(world.partners, weights=world.partner_weights)[0]
    organisation = partner.organisation
    business = None
    if scenario.business_words is not None:
        pool = world.businesses[_SCENARIOS.index(scenario)]
        business = (
            world.recurring(pool)
            if randomiser.random() < 0.7
            else _new_business(world, scenario, scenario.business_words)
        )
        place = business.place
    else:
        area_id = _area_for(world, scenario)
        place = (
            world.recurring(world.places[area_id])
            if randomiser.random() < 0.5
            else _new_place(world, area_id)
        )
    child = randomiser.random() < scenario.child_share
    words = {
        "town": place.town,
        "street": place.street,
        "business": business.name if business else place.town,
        "count": str(randomiser.randrange(3, 9)),
        "age": str(randomiser.randrange(14, 17)),
        "place": business.name if business else place.street,
    }
    mentions = _mentions(world, scenario, place, business, words)
    narrative = _narrative(world, scenario, organisation, words)
    type_codes = list(scenario.types)
    if scenario.also and randomiser.random() < scenario.also[1]:
        type_codes.append(scenario.also[0])
    reference = references.new_reference(randomiser)
    while reference in used_references:
        reference = references.new_reference(randomiser)
    used_references.add(reference)
    source, assessment = _grading(randomiser)
    handling_code, conditions, shared_with = _handling(world, partner)
    described_only = randomiser.random() < 0.1
    report = IntelligenceReport(
        reference=reference,
        submission_key=submission_key,
        summary=randomiser.choice(scenario.summaries).format(**words)[:200],
        narrative=narrative,
        occurred_on=(
            None
            if randomiser.random() < 0.1
            else (created_at - datetime.timedelta(days=int(randomiser.expovariate(0.2)))).date()
        ),
        location=f"Near {place.street}, {place.town}" if described_only else place.address,
        postcode="" if described_only else place.postcode,
        area_id=place.area_id,
        child_involved=child,
        sector=scenario.sector,
        source_evaluation=source,
        intelligence_assessment=assessment,
        handling_code=handling_code,
        handling_conditions=conditions,
        originating_organisation=organisation,
        created_by=randomiser.choice(partner.submitters),
        created_at=created_at,
    )
    for mention in mentions:
        mention.report = report
    changes, taskings, regrading = _history(world, report, scenario, partner, until)
    return _Draft(
        report=report,
        type_ids=[world.type_ids[code] for code in type_codes if code in world.type_ids],
        indicator_ids=[
            world.indicator_ids[code]
            for code in randomiser.sample(
                scenario.indicators, randomiser.randrange(1, min(4, len(scenario.indicators)) + 1)
            )
            if code in world.indicator_ids
        ],
        shared_with=shared_with,
        changes=changes,
        taskings=taskings,
        regrading=regrading,
        mentions=mentions,
    )


def _mentions(
    world: _World,
    scenario: _Scenario,
    place: _Place,
    business: _Business | None,
    words: dict[str, str],
) -> list[Mention]:
    """The report's mentions; ``words`` gains what the narrative says about them."""
    randomiser = world.randomiser
    mentions = [_mention(world, MentionKind.LOCATION, MentionRole.PREMISES, place.written)]
    if business is not None:
        mentions.append(
            _mention(
                world,
                MentionKind.BUSINESS,
                MentionRole.PREMISES,
                business.name,
                details=scenario.business_kind,
            )
        )
    sentences = []
    for kind in scenario.mentions:
        if randomiser.random() >= 0.55:
            continue
        if kind == "vehicle":
            vehicle = world.recurring(world.vehicles)
            written = randomiser.choice(
                [vehicle.registration, vehicle.registration.replace(" ", "").lower()]
            )
            words |= {"vehicle": vehicle.description, "registration": written}
            mentions.append(
                _mention(
                    world,
                    MentionKind.VEHICLE,
                    MentionRole.VEHICLE_USED,
                    written,
                    details=vehicle.description,
                )
            )
        elif kind == "phone":
            number = world.recurring(world.phones)
            written = randomiser.choice(
                [
                    number,
                    number.replace(" ", ""),
                    "+44 " + number[1:],
                    number[:9] + " " + number[9:],
                ]
            )
            words["phone"] = written
            mentions.append(_mention(world, MentionKind.PHONE, MentionRole.CONTACT, written))
        elif kind == "exploiter":
            name = world.recurring(world.people)
            words["exploiter"] = _written_name(randomiser, name)
            mentions.append(
                _mention(
                    world,
                    MentionKind.PERSON,
                    MentionRole.SUSPECTED_EXPLOITER,
                    words["exploiter"],
                    **_person_details(randomiser, name),
                )
            )
        elif kind == "victim":
            words["victim"] = _new_name(randomiser)
            mentions.append(
                _mention(world, MentionKind.PERSON, MentionRole.POTENTIAL_VICTIM, words["victim"])
            )
        elif kind == "online":
            words["profile"] = world.recurring(world.profiles)
            mentions.append(
                _mention(world, MentionKind.ONLINE_PROFILE, MentionRole.CONTACT, words["profile"])
            )
        elif kind == "email":
            words["email"] = world.recurring(world.emails)
            mentions.append(_mention(world, MentionKind.EMAIL, MentionRole.CONTACT, words["email"]))
        elif kind == "bank":
            words["account"] = f"{randomiser.randrange(10000):04d}"
            mentions.append(
                _mention(world, MentionKind.BANK_ACCOUNT, MentionRole.PAYMENT, words["account"])
            )
        sentences.append(randomiser.choice(_ENTITY_SENTENCES[kind]).format(**words))
    words["entities"] = " ".join(sentences)
    return mentions


def _mention(
    world: _World, kind: str, role: str, value: str, *, details: str = "", **person: Any
) -> Mention:
    return Mention(
        kind=kind, role=role, value=value, key=world.key(kind, value), details=details, **person
    )


_NATIONALITIES = ("British", "Albanian", "Romanian", "Vietnamese", "Polish", "Chinese")


def _written_name(randomiser: random.Random, name: str) -> str:
    """A recurring person's name as one agency or another writes it: as usual, in
    capitals, surname first, or with two letters swapped."""
    given, _space, surname = name.partition(" ")
    style = randomiser.random()
    if style < 0.35:
        return name
    if style < 0.6:
        return name.upper()
    if style < 0.85 or len(surname) < 4:
        return f"{surname.upper()}, {given}"
    slip = randomiser.randrange(1, len(surname) - 1)
    swapped = surname[:slip] + surname[slip + 1] + surname[slip] + surname[slip + 2 :]
    return f"{given} {swapped}"


def _person_details(randomiser: random.Random, name: str) -> dict[str, Any]:
    """Half the time, the date of birth and nationality of a recurring person: the same
    ones every time (seeded by the name), as several agencies would record them."""
    if randomiser.random() < 0.5:
        return {}
    person = random.Random(name)  # noqa: S311  (synthetic data, not security)
    born = datetime.date(person.randint(1962, 2001), person.randint(1, 12), person.randint(1, 28))
    return {"date_of_birth": born, "nationality": person.choice(_NATIONALITIES)}


def _narrative(
    world: _World, scenario: _Scenario, organisation: Organisation, words: dict[str, str]
) -> str:
    randomiser = world.randomiser
    openings = _OPENINGS.get(organisation.organisation_type, ("We were told that",))
    opening = randomiser.choice(openings).format(**words)
    details = randomiser.sample(
        scenario.details, min(len(scenario.details), randomiser.randint(2, 3))
    )
    first, *rest = (detail.format(**words) for detail in details)
    parts = [f"{opening} {first[0].lower()}{first[1:]}", *rest]
    if words["entities"]:
        parts.append(words["entities"])
    if (
        organisation.organisation_type in (OrganisationType.CHARITY, OrganisationType.HEALTH)
        and randomiser.random() < 0.05
    ):
        parts.append(f"In French, they said: « {randomiser.choice(_FRENCH_QUOTES)} »")
    return " ".join(parts)


def _grading(randomiser: random.Random) -> tuple[str, str]:
    source = randomiser.choices("123", weights=[25, 60, 15])[0]
    assessment = randomiser.choices("ABCDE", weights=[15, 30, 35, 15, 5])[0]
    return source, assessment


def _handling(world: _World, partner: _Partner) -> tuple[str, str, list[int]]:
    """P, or C with its conditions and, sometimes, the organisations they name."""
    randomiser = world.randomiser
    organisation = partner.organisation
    if randomiser.random() >= _CONDITIONS_SHARE.get(organisation.organisation_type, 0.15):
        return HandlingCode.P, "", []
    conditions = randomiser.choice(_CONDITIONS)
    if randomiser.random() >= 0.4:
        return HandlingCode.C, conditions, []
    others = [
        partner.organisation
        for partner in world.partners
        if partner.organisation.organisation_type in _NAMED_IN_CONDITIONS
        and partner.organisation.pk != organisation.pk
    ]
    named = randomiser.sample(others, randomiser.randint(1, 2))
    names = " and ".join(other.name for other in named)
    return HandlingCode.C, f"{conditions} May also be shared with {names}.", [o.pk for o in named]


def _history(
    world: _World,
    report: IntelligenceReport,
    scenario: _Scenario,
    partner: _Partner,
    until: datetime.datetime,
) -> tuple[list[StatusChange], list[Tasking], Regrading | None]:
    """The report's life in the hub to ``until``: status changes, taskings, a regrading.

    The whole life is drawn first and then cut at ``until``, so that recent reports are
    still new or being worked and old ones mostly closed; a few stall on the way, which
    leaves old reports open and taskings overdue.
    """
    randomiser = world.randomiser
    analyst = randomiser.choice(world.analysts)
    changes: list[StatusChange] = []
    taskings: list[Tasking] = []
    regrading = None

    def step(to_status: Status, at: datetime.datetime, *, reason: str = "", note: str = "") -> bool:
        if at > until:
            return False
        from_status = changes[-1].to_status if changes else ""
        changes.append(
            StatusChange(
                report=report,
                from_status=from_status,
                to_status=to_status,
                reason=reason,
                note=note,
                changed_by=report.created_by if not changes else analyst,
                changed_at=at,
            )
        )
        report.status = to_status
        return True

    def later(at: datetime.datetime, low: float, high: float) -> datetime.datetime:
        """Some days after ``at``, in office hours when that keeps the order."""
        moment = at + datetime.timedelta(days=randomiser.uniform(low, high))
        office = moment.replace(hour=randomiser.randrange(8, 18), microsecond=0)
        return office if office > at else moment.replace(microsecond=0)

    stall = randomiser.choice(Status.values) if randomiser.random() < 0.03 else None
    step(Status.NEW, report.created_at)
    at = later(report.created_at, 0.05, 5)
    if stall == Status.NEW or not step(Status.UNDER_ASSESSMENT, at):
        return changes, taskings, regrading
    if randomiser.random() < 0.07:
        regrading = _regrade(report, analyst, later(at, 0, 1), until)
    if randomiser.random() < 0.7:
        report.assessment = randomiser.choice(_ASSESSMENTS)
    if stall == Status.UNDER_ASSESSMENT:
        return changes, taskings, regrading
    if randomiser.random() < 0.45:
        reason = randomiser.choices(
            [
                ClosingReason.NO_FURTHER_ACTION,
                ClosingReason.PASSED_ON,
                ClosingReason.REFERRED_FOR_SAFEGUARDING,
            ],
            weights=[60, 25, 15],
        )[0]
        step(Status.CLOSED, later(at, 1, 30), reason=reason, note=_CLOSING_NOTES[reason])
        return changes, taskings, regrading
    rounds = 2 if randomiser.random() < 0.08 else 1
    for round_number in range(rounds):
        at = later(at, 1, 10)
        tasked = _task(world, report, scenario, partner, analyst, at, until)
        if not tasked or not step(Status.TASKED, at, note=tasked[0].request):
            return changes, taskings, regrading
        taskings.extend(tasked)
        if round_number == 0 and randomiser.random() < 0.05:
            # Withdrawn and given to another agency: back to assessment, then tasked again.
            at = later(at, 2, 7)
            if not step(Status.UNDER_ASSESSMENT, at, note="Tasking withdrawn: wrong agency."):
                return changes, taskings, regrading
            for tasking in tasked:
                tasking.status = TaskingStatus.WITHDRAWN
            at = later(at, 0.5, 3)
            tasked = _task(world, report, scenario, partner, analyst, at, until)
            if not tasked or not step(Status.TASKED, at, note=tasked[0].request):
                return changes, taskings, regrading
            taskings.extend(tasked)
        if stall == Status.TASKED:
            return changes, taskings, regrading
        answers = [_answer(world, tasking, until) for tasking in tasked]
        if None in answers:
            return changes, taskings, regrading
        at = max(answer for answer in answers if answer is not None)
        if not step(Status.ACTIONED, at, note="Every tasked agency has answered."):
            return changes, taskings, regrading
        if stall == Status.ACTIONED:
            return changes, taskings, regrading
    reason = randomiser.choices(ClosingReason.values, weights=[35, 25, 30, 10])[0]
    step(Status.CLOSED, later(at, 1, 21), reason=reason, note=_CLOSING_NOTES[reason])
    return changes, taskings, regrading


def _regrade(
    report: IntelligenceReport, analyst: User, at: datetime.datetime, until: datetime.datetime
) -> Regrading | None:
    if at > until:
        return None
    previous = report.grading
    if report.source_evaluation == "2":
        report.source_evaluation = "1"
        reason = _REGRADING_REASONS["1"]
    else:
        report.intelligence_assessment = {"C": "B", "B": "D", "A": "B", "D": "E", "E": "D"}[
            report.intelligence_assessment
        ]
        reason = _REGRADING_REASONS[report.intelligence_assessment]
    return Regrading(
        report=report,
        previous_grading=previous,
        grading=report.grading,
        reason=reason,
        changed_by=analyst,
        changed_at=at,
    )


def _task(
    world: _World,
    report: IntelligenceReport,
    scenario: _Scenario,
    originator: _Partner,
    analyst: User,
    at: datetime.datetime,
    until: datetime.datetime,
) -> list[Tasking]:
    """One or two agencies asked to act, preferring the scenario's and the area's."""
    randomiser = world.randomiser
    if at > until:
        return []
    chosen: list[_Partner] = []
    for _agency in range(2 if randomiser.random() < 0.2 else 1):
        kind = randomiser.choices(
            scenario.taskable, weights=[2**-rank for rank in range(len(scenario.taskable))]
        )[0]
        candidates = [
            partner
            for partner in world.partners
            if partner.organisation.organisation_type == kind
            and partner is not originator
            and partner not in chosen
        ]
        local = [partner for partner in candidates if report.area_id in partner.area_ids]
        if local or candidates:
            chosen.append(randomiser.choice(local or candidates))
    deadline_days = randomiser.choice([7, 14, 14, 28])
    return [
        Tasking(
            report=report,
            organisation=partner.organisation,
            submission_key=uuid.UUID(int=randomiser.getrandbits(128), version=4),
            request=_TASKING_REQUESTS.get(
                partner.organisation.organisation_type,
                "Please check your records and tell us what you know.",
            ),
            deadline=(at + datetime.timedelta(days=deadline_days)).date(),
            created_by=analyst,
            created_at=at,
        )
        for partner in chosen
    ]


def _answer(world: _World, tasking: Tasking, until: datetime.datetime) -> datetime.datetime | None:
    """Answer the tasking, mostly by its deadline; ``None`` if still open at ``until``."""
    randomiser = world.randomiser
    days = (tasking.deadline - tasking.created_at.date()).days
    at = tasking.created_at + datetime.timedelta(days=randomiser.uniform(1, days * 1.3))
    if at > until:
        return None
    partner = next(p for p in world.partners if p.organisation.pk == tasking.organisation.pk)
    result = randomiser.choices(TaskingResult.values, weights=[40, 25, 25, 10])[0]
    tasking.status = TaskingStatus.ANSWERED
    tasking.result = result
    tasking.response = _TASKING_RESPONSES[result]
    tasking.responded_by = randomiser.choice(partner.submitters)
    tasking.responded_at = at
    return at


# Writing: a chunk of reports at a time, then everything that points at them.


def _write(drafts: list[_Draft]) -> None:
    if not drafts:
        return
    _bulk(IntelligenceReport, [draft.report for draft in drafts])
    _link(IntelligenceReport.exploitation_types.through, "exploitationtype_id", drafts, "type_ids")
    _link(IntelligenceReport.indicators.through, "indicator_id", drafts, "indicator_ids")
    _link(IntelligenceReport.shared_with.through, "organisation_id", drafts, "shared_with")
    _bulk(StatusChange, [change for draft in drafts for change in draft.changes])
    _bulk(Tasking, [tasking for draft in drafts for tasking in draft.taskings])
    _bulk(Regrading, [draft.regrading for draft in drafts if draft.regrading is not None])
    _bulk(Mention, [mention for draft in drafts for mention in draft.mentions])


def _link(through: type, column: str, drafts: list[_Draft], attribute: str) -> None:
    rows = [
        through(intelligencereport_id=draft.report.pk, **{column: target})
        for draft in drafts
        for target in getattr(draft, attribute)
    ]
    _bulk(through, rows)


def _bulk(model: type, rows: list) -> None:
    """Insert in batches; rows pointing at a report pick up its new primary key."""
    model.objects.bulk_create(rows, batch_size=2000)
