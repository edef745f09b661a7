"""Benchmark: correlating a new report's entities against 1,000,000 existing ones.

When a report is saved, every person, place, business, vehicle, phone and profile it
mentions is resolved to an entity within the request (``entities.correlation``): an
identifier joins the entity that has its key, anything else becomes an entity of its own
with suggested matches found by key and by block. Issue 5 asks that this stay under 20 ms
at the 95th percentile for a report of ten entities, and within 3x of a bare indexed lookup
of the same keys, with 1,000,000 entities and 300,000 reports.

This loads the demo partnership and ``--reports`` synthetic reports (``bench/intelligence.py``'s
loader), resolves the reports' own mentions into entities in bulk, as correlation would,
and tops them up to ``--entities`` with invented people, places, businesses, vehicles,
phones, emails, profiles and bank accounts mentioned across the same reports. Then,
``--correlations`` times, it adds ten mentions to a report — people, places, vehicles and
phones already known but written another way, people with similar names, new ones — and
times ``correlation.correlate`` on them, in a transaction rolled back afterwards. Beside
it, the bare lookup: plain SQL reading the entities with the same ten keys, and the blocks
of the people and places. It prints one JSON line per database with p50 and p95 of each in
milliseconds and their ratios, then the figures side by side.

    .venv/bin/python bench/entities.py [--database sqlite|postgres|both]
        [--entities 1000000] [--reports 300000] [--correlations 200] [--keep]

Databases: an SQLite file in a temporary directory, and PostgreSQL's ``bench_entities``
(dropped and created again). ``--keep`` keeps both (the SQLite file in
``/tmp/lantern-bench-entities``) and reuses them on the next run when they hold the same
numbers of reports and entities. Both databases are analysed after loading (SQLite's
``ANALYZE``, PostgreSQL's ``VACUUM ANALYZE``).
"""

import argparse
import datetime
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import intelligence as intelligence_bench  # bench/intelligence.py, beside this script

POSTGRES_DATABASE = "bench_entities"
# Kinds whose every mention of one value is one entity (``entities.models.IDENTIFYING_KINDS``;
# invented businesses carry a company number in one mention only).
IDENTIFYING_KINDS = ("phone", "vehicle", "email", "online_profile")
KEPT_DIRECTORY = Path(tempfile.gettempdir()) / "lantern-bench-entities"
SEED = 5
WARM_UP = 10
# Of the people who are written the same way as an existing one, how many are that person.
MERGED_SHARE = 0.03
# Kinds of the invented entities that top the reports' own up to ``--entities``, by share.
INVENTED_KINDS = {
    "person": 0.40,
    "location": 0.20,
    "phone": 0.14,
    "business": 0.08,
    "vehicle": 0.08,
    "email": 0.04,
    "online_profile": 0.03,
    "bank_account": 0.03,
}
ROLES = {
    "person": ("suspected_exploiter", "potential_victim", "witness"),
    "location": ("premises",),
    "business": ("premises",),
    "vehicle": ("vehicle_used",),
    "phone": ("contact",),
    "email": ("contact",),
    "online_profile": ("contact",),
    "bank_account": ("payment",),
}
BARE_ENTITY_LOOKUP = "SELECT id FROM entities_entity WHERE kind = %s AND key = %s"
# As many candidates as correlation reads from the blocks (``_BLOCK_CANDIDATES``).
BARE_BLOCK_LOOKUP = "SELECT entity_id FROM entities_entityblock WHERE block IN ({}) LIMIT 200"

# Invented people: given and family names of the nationalities most often met in UK modern
# slavery referrals (DOMAIN.md §1), with their diacritics, so that transliteration and
# phonetic blocking work as they would on real names.
NAMES = {
    "British": (
        "James Oliver Jack Harry George Connor Kyle Liam Daniel Ryan Emma Olivia Chloe Jade "
        "Leanne Sophie",
        "Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans "
        "Walker White Roberts Green Hall Wood Jackson Clarke",
    ),
    "Romanian": (
        "Ștefan Andrei Mihai Ionuț Florin Bogdan Alexandru Cristian Adrian Marius Elena Ioana "
        "Maria Andreea Gabriela Alina",
        "Popescu Ionescu Popa Dumitru Stan Stoica Gheorghe Rusu Munteanu Matei Constantin "
        "Șerban Mocanu Lungu Ursu Dinu Ciobanu Moldovan Neagu Toma",
    ),
    "Albanian": (
        "Arben Besnik Dritan Ermal Gentian Ilir Klodian Luan Florian Erion Arta Blerta Elira "
        "Jonida Mimoza Rezarta",
        "Hoxha Berisha Gashi Krasniqi Shehu Dervishi Kola Leka Marku Çela Basha Hysa Gjoka "
        "Bajrami Rama Dedja Prifti Xhafa Sula Mema",
    ),
    "Vietnamese": (
        "Minh Tuấn Hoàng Dũng Hùng Thắng Long Nam Quang Đức Lan Hương Mai Linh Thảo Ngọc",
        "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Trương "
        "Đào Mai",
    ),
    "Polish": (
        "Łukasz Marek Piotr Krzysztof Tomasz Paweł Michał Grzegorz Jakub Wojciech Agnieszka "
        "Katarzyna Małgorzata Joanna Anna Magdalena",
        "Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński Szymański "
        "Woźniak Dąbrowski Kozłowski Jankowski Mazur Kwiatkowski Krawczyk Kaczmarek Piotrowski "
        "Grabowski Pawłowski",
    ),
    "Eritrean": (
        "Yonas Tesfay Mehari Berhane Dawit Filmon Kidane Samuel Yohannes Habtom Helen Senait "
        "Saba Luwam Selam Feven",
        "Tesfaye Ghebremariam Haile Kidane Tekle Gebremedhin Berhe Woldu Asmerom Mebrahtu "
        "Habte Zerai Andemariam Okbay Yemane Negash Araya Tsegay Ghirmay Weldemichael",
    ),
    "Sudanese": (
        "Mohamed Ahmed Osman Abdalla Ibrahim Hassan Musa Adam Yousif Khalid Amna Fatima Hawa "
        "Mariam Samia Nafisa",
        "Abdelrahman Elhassan Mohamedain Babiker Eltayeb Abdelaziz Hamid Omer Suliman Ismail "
        "Hamad Elamin Idris Bashir Ali Yagoub Mustafa Haroun Abakar Ishag",
    ),
    "Indian": (
        "Rajesh Amit Sanjay Vikram Arjun Harpreet Gurpreet Manpreet Sunil Ravi Priya Anjali "
        "Sunita Kavita Neha Pooja",
        "Patel Singh Sharma Kumar Gupta Shah Mistry Chauhan Kaur Sandhu Gill Dhillon Parmar "
        "Solanki Rathod Joshi Mehta Desai Trivedi Bhatt",
    ),
    "Chinese": (
        "Wei Jun Hao Lei Jian Ming Tao Qiang Yong Chen Li Xiu Mei Ying Fang Hua",
        "Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Lin Luo Zheng",
    ),
    "Lithuanian": (
        "Tomas Mantas Darius Andrius Marius Giedrius Vytautas Jonas Paulius Rokas Rūta Jūratė "
        "Ieva Eglė Laura Aistė",
        "Kazlauskas Jankauskas Petrauskas Stankevičius Vasiliauskas Žukauskas Butkus Paulauskas "
        "Urbonas Kavaliauskas Navickas Ramanauskas Savickas Rimkus Baranauskas Sakalauskas "
        "Šimkus Žilinskas Lukoševičius Mockus",
    ),
    "Slovak": (
        "Ján Peter Marek Tomáš Lukáš Martin Michal Jozef Roman Milan Zuzana Mária Katarína Jana "
        "Lucia Monika",
        "Horváth Kováč Varga Tóth Nagy Baláž Szabó Molnár Balog Lakatoš Oláh Rigó Gábor Kollár "
        "Bartoš Demeter Kotlár Husár Dudáš Ferko",
    ),
    "Nigerian": (
        "Chinedu Emeka Oluwaseun Babatunde Ifeanyi Tunde Segun Obinna Chidi Uche Ngozi "
        "Chiamaka Funmilayo Blessing Adaeze Folake",
        "Okafor Adeyemi Okonkwo Eze Ogunleye Nwosu Adebayo Olawale Chukwu Obi Balogun Onyeka "
        "Afolabi Okeke Ibrahim Ojo Nnamdi Akinola Uzor Adewale",
    ),
}
NAME_POOLS = [
    (nationality, given.split(), family.split()) for nationality, (given, family) in NAMES.items()
]
# Leicester, Leicestershire and Rutland postcode districts, and streets people live on.
DISTRICTS = [
    "LE1",
    "LE2",
    "LE3",
    "LE4",
    "LE5",
    "LE7",
    "LE8",
    "LE9",
    "LE10",
    "LE11",
    "LE12",
    "LE13",
    "LE14",
    "LE15",
    "LE16",
    "LE17",
    "LE18",
    "LE19",
    "LE65",
    "LE67",
    "PE9",
]
POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
STREETS = [
    "High Street",
    "Church Lane",
    "Station Road",
    "Main Street",
    "London Road",
    "Mill Lane",
    "Park Road",
    "Victoria Road",
    "Green Lane",
    "Manor Road",
    "Queens Road",
    "Kings Road",
    "Narborough Road",
    "Belgrave Road",
    "Melton Road",
    "Humberstone Road",
    "Uppingham Road",
    "Loughborough Road",
    "Ashby Road",
    "Hinckley Road",
    "Groby Road",
    "Fosse Way",
    "Saffron Lane",
    "Welford Road",
    "Aylestone Road",
    "Evington Road",
    "Gipsy Lane",
    "Abbey Lane",
    "Forest Road",
    "Charnwood Street",
    "Granby Street",
    "Rutland Street",
    "Oxford Street",
    "Cambridge Road",
    "York Road",
    "Tudor Road",
    "Western Road",
    "Braunstone Avenue",
    "Castle Close",
    "Meadow Court",
    "Orchard Way",
    "Windmill Drive",
]
BUSINESS_WORDS = [
    "Sparkle",
    "Diamond",
    "Royal",
    "Golden",
    "Premier",
    "Express",
    "Supreme",
    "Star",
    "Crystal",
    "Eagle",
    "City",
    "County",
    "Midland",
    "Fosse",
    "Soar",
    "Charnwood",
    "Rutland",
    "Oak",
    "Phoenix",
    "Lucky",
]
BUSINESS_KINDS = [
    "Hand Car Wash",
    "Nail Bar",
    "Nails and Beauty",
    "Barbers",
    "Takeaway",
    "Pizza",
    "Mini Market",
    "Food Store",
    "Textiles",
    "Garments",
    "Recruitment",
    "Staffing Solutions",
    "Farm Produce",
    "Packing",
    "Logistics",
    "Cleaning Services",
    "Lodge",
    "Guest House",
    "Massage",
    "Construction",
]
LEGAL_FORMS = ("", " Ltd", " Limited", " Ltd.")
REGISTRATION_LETTERS = "ABCDEFGHJKLMNOPRSTUVWXY"
MOBILE_PREFIXES = ("074", "075", "077", "078", "079")
# Romanian, Albanian, Vietnamese and Polish mobiles: eight digits after these.
FOREIGN_PHONES = ("+40 7{:08d}", "+355 6{:08d}", "+84 9{:08d}", "+48 5{:08d}")
PROFILE_SITES = (
    "https://www.instagram.com/{}/",
    "https://www.facebook.com/{}",
    "@{} on TikTok",
    "https://adverts.example/leicester/{}",
)
EMAIL_DOMAINS = ("example.com", "example.org", "example.net")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--entities", type=int, default=1_000_000)
    parser.add_argument("--reports", type=int, default=300_000)
    parser.add_argument("--correlations", type=int, default=200)
    parser.add_argument("--keep", action="store_true", help="keep and reuse the databases")
    # The steps that run inside Django, in a process of their own.
    parser.add_argument("--helper", choices=["load", "measure"], help=argparse.SUPPRESS)
    options = parser.parse_args()

    if options.helper == "load":
        print(json.dumps(load(options.reports, options.entities)))
        return
    if options.helper == "measure":
        print(json.dumps(measure(options.correlations)))
        return
    databases = ["sqlite", "postgres"] if options.database == "both" else [options.database]
    results = []
    for database in databases:
        results.append(run(database, options))
        print(json.dumps(results[-1]), flush=True)
    print_side_by_side(results)


def run(database: str, options: argparse.Namespace) -> dict[str, object]:
    with intelligence_bench.home_directory(options.keep, KEPT_DIRECTORY) as home:
        environment = intelligence_bench.bench_environment(database, home, POSTGRES_DATABASE)
        if database == "postgres" and not options.keep:
            intelligence_bench.recreate_postgres(POSTGRES_DATABASE)
        elif database == "postgres":
            intelligence_bench.ensure_postgres(POSTGRES_DATABASE)
        intelligence_bench.step(
            environment, [str(intelligence_bench.LANTERN), "migrate", "--no-input", "--verbosity=0"]
        )
        arguments = ["--reports", str(options.reports), "--entities", str(options.entities)]
        loaded = json.loads(
            intelligence_bench.helper(environment, "load", *arguments, script=__file__)
        )
        figures = json.loads(
            intelligence_bench.helper(
                environment,
                "measure",
                "--correlations",
                str(options.correlations),
                script=__file__,
            )
        )
        if database == "postgres" and not options.keep:
            intelligence_bench.drop_postgres(POSTGRES_DATABASE)
    return {
        "database": database,
        "entities": options.entities,
        "reports": options.reports,
        **loaded,
        **figures,
        "load_average": [round(value, 2) for value in os.getloadavg()],
        "cpus": os.cpu_count(),
    }


def print_side_by_side(results: list[dict[str, object]]) -> None:
    print(f"\n{'database':<10} {'':>4} {'correlate ms':>13} {'bare lookup ms':>15} {'ratio':>6}")
    for result in results:
        for cut in ("p50", "p95"):
            print(
                f"{result['database']:<10} {cut:>4} {result[f'correlate_{cut}_ms']:>13} "
                f"{result[f'lookup_{cut}_ms']:>15} {result[f'ratio_{cut}']:>6}"
            )


# Inside Django (run as `--helper` by the steps above).


def load(reports: int, entities: int) -> dict[str, object]:
    """The reports (``bench/intelligence.py``), then ``entities`` entities, unless there."""
    loaded = intelligence_bench.load(reports)  # sets Django up
    from django.db import connection, transaction

    from lantern.entities.models import Entity

    figures: dict[str, object] = {
        "reports_load_seconds": loaded["load_seconds"],
        "reports_reused": loaded["reused"],
    }
    started = time.perf_counter()
    if Entity.objects.count() == entities:
        figures["entities_reused"] = True
        if blocks_are_current():
            return figures | counts()
        with transaction.atomic():
            rebuild_blocks()
        figures["blocks_rebuilt_seconds"] = round(time.perf_counter() - started, 1)
    elif Entity.objects.exists():
        sys.exit("The kept database holds another number of entities: run without --keep.")
    else:
        with transaction.atomic():
            population = _Population(random.Random(SEED))
            population.resolve_report_mentions(entities)
            population.invent(entities - len(population.entities))
            population.write()
        figures |= {
            "entities_reused": False,
            "entities_load_seconds": round(time.perf_counter() - started, 1),
        }
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    figures["analyse_seconds"] = round(time.perf_counter() - started, 1)
    return figures | counts()


def counts() -> dict[str, object]:
    """Entities by kind, mentions, and how many of them are resolved to an entity."""
    from django.db.models import Count

    from lantern.entities.models import Entity, Mention

    by_kind = Entity.objects.order_by().values_list("kind").annotate(count=Count("pk"))
    return {
        "entities_by_kind": dict(by_kind),
        "mentions": Mention.objects.count(),
        "mentions_resolved": Mention.objects.filter(entity__isnull=False).count(),
    }


def blocks_are_current(sample: int = 500) -> bool:
    """Whether the stored blocks are what ``blocking_keys`` gives now, for a sample of
    people and places (the kept database outlives changes to the blocking rules)."""
    from lantern.entities import correlation
    from lantern.entities.models import Entity, EntityBlock

    entities = list(Entity.objects.filter(kind__in=["person", "location"])[:sample])
    stored: dict[int, set[str]] = {entity.pk: set() for entity in entities}
    for entity_id, block in EntityBlock.objects.filter(entity__in=entities).values_list(
        "entity_id", "block"
    ):
        stored[entity_id].add(block)
    return all(set(correlation.blocking_keys(entity)) == stored[entity.pk] for entity in entities)


def rebuild_blocks() -> None:
    """Every entity's blocks again, from the blocking rules as they are now."""
    from lantern.core.bulk import insert_all
    from lantern.entities import correlation
    from lantern.entities.models import Entity, EntityBlock

    EntityBlock.objects.all().delete()
    batch: list = []
    for entity in Entity.objects.filter(kind__in=["person", "location"]).iterator(20_000):
        batch += [
            EntityBlock(entity=entity, block=block) for block in correlation.blocking_keys(entity)
        ]
        if len(batch) >= 100_000:
            insert_all(batch)
            batch = []
    insert_all(batch)


@dataclass
class _Mention:
    report_id: int
    kind: str
    role: str
    value: str
    key: str
    date_of_birth: datetime.date | None = None
    nationality: str = ""


class _Population:
    """The entities of the database being loaded, held in memory until written at once.

    The reports' own mentions are resolved as correlation resolves them (an identifier's
    mentions share one entity, any other mention is an entity of its own, a few people
    already merged with the first of their name); invented entities are each mentioned
    once, identifiers up to four times, in reports drawn at random.
    """

    def __init__(self, randomiser: random.Random) -> None:
        from lantern.intelligence.models import IntelligenceReport

        self.randomiser = randomiser
        self.report_ids = list(IntelligenceReport.objects.values_list("pk", flat=True))
        self.entities: list = []  # Entity, in the order of their ids to come
        self.identifiers: dict[tuple[str, str], int] = {}  # (kind, key) → index in entities
        self.first_of_name: dict[str, int] = {}  # a person's key → index of its first entity
        self.merges: list[tuple[int, int]] = []  # (index, index of the entity it merged into)
        self.resolved: list[tuple[int, int]] = []  # (mention id, index of its entity)
        self.mentions: list[tuple[_Mention, int]] = []  # invented mentions, index of entity
        self.company_numbers = iter(range(10_000_000, 99_999_999, 7919))

    def entity_for(self, mention: _Mention) -> int:
        """The index of the entity ``mention`` resolves to, added if it is new."""
        from lantern.entities.models import Entity, is_identifier

        if is_identifier(mention.kind, mention.key):
            known = self.identifiers.get((mention.kind, mention.key))
            if known is not None:
                return known
        index = len(self.entities)
        self.entities.append(
            Entity(
                kind=mention.kind,
                key=mention.key,
                label=mention.value,
                date_of_birth=mention.date_of_birth,
                nationality=mention.nationality,
            )
        )
        if is_identifier(mention.kind, mention.key):
            self.identifiers[mention.kind, mention.key] = index
        elif mention.kind == "person":
            first = self.first_of_name.setdefault(mention.key, index)
            if first != index and self.randomiser.random() < MERGED_SHARE:
                self.merges.append((index, first))
        return index

    def resolve_report_mentions(self, limit: int) -> None:
        """Entities for the mentions the reports were loaded with, ``limit`` at most."""
        from lantern.entities.models import Mention

        rows = (
            Mention.objects.exclude(key="")
            .order_by("pk")
            .values_list("pk", "report_id", "kind", "role", "value", "key")
        )
        for pk, report_id, kind, role, value, key in rows.iterator(chunk_size=20_000):
            mention = _Mention(report_id, kind, role, value, key)
            if len(self.entities) >= limit and not self._is_known(mention):
                break
            self.resolved.append((pk, self.entity_for(mention)))

    def _is_known(self, mention: _Mention) -> bool:
        return (mention.kind, mention.key) in self.identifiers

    def invent(self, count: int) -> None:
        """``count`` more entities of every kind, each mentioned in reports at random."""
        kinds = list(INVENTED_KINDS)
        weights = list(INVENTED_KINDS.values())
        target = len(self.entities) + count
        while len(self.entities) < target:
            kind = self.randomiser.choices(kinds, weights)[0]
            mention = self.invented_mention(kind)
            if mention is None or self._is_known(mention):
                continue
            index = self.entity_for(mention)
            self.mentions.append((mention, index))
            if kind in IDENTIFYING_KINDS:
                for _again in range(int(4 * self.randomiser.random() ** 3)):
                    again = _Mention(**vars(mention) | {"report_id": self.random_report()})
                    self.mentions.append((again, index))

    def random_report(self) -> int:
        return self.randomiser.choice(self.report_ids)

    def invented_mention(self, kind: str) -> _Mention | None:
        """A mention of a new entity of ``kind``, or None if its value has no key."""
        from lantern.core import normalisers

        person = invent_person(self.randomiser) if kind == "person" else None
        value = (
            person[0]
            if person is not None
            else invent_value(kind, self.randomiser, self.company_numbers)
        )
        key = normalisers.mention_key(kind, value)
        if not key:
            return None
        role = self.randomiser.choice(ROLES[kind])
        mention = _Mention(self.random_report(), kind, role, value, key)
        if person is not None:
            mention.date_of_birth, mention.nationality = person[1], person[2]
        return mention

    def write(self) -> None:
        """Entities, their blocks, merges and mentions, in bulk."""
        from django.db import connection
        from django.db.models import Max, Min

        from lantern.core.bulk import insert_all
        from lantern.entities import correlation
        from lantern.entities.models import Entity, EntityBlock, Mention

        insert_all(self.entities)
        bounds = Entity.objects.aggregate(first=Min("pk"), last=Max("pk"))
        first = bounds["first"]
        if bounds["last"] - first + 1 != len(self.entities):
            sys.exit("The entities' ids are not consecutive: load into an empty database.")
        insert_all(
            [
                EntityBlock(entity_id=first + index, block=block)
                for index, entity in enumerate(self.entities)
                for block in correlation.blocking_keys(entity)
            ]
        )
        insert_all(
            [Mention(**vars(mention), entity_id=first + index) for mention, index in self.mentions]
        )
        with connection.cursor() as cursor:
            cursor.executemany(
                "UPDATE entities_entity SET merged_into_id = %s WHERE id = %s",
                [(first + into, first + index) for index, into in self.merges],
            )
            # The reports' own mentions: their entities in a table of their own, then one
            # UPDATE … FROM, instead of a statement per mention.
            cursor.execute(
                "CREATE TEMPORARY TABLE bench_mention_entity "
                "(mention_id bigint PRIMARY KEY, entity_id bigint NOT NULL)"
            )
            cursor.executemany(
                "INSERT INTO bench_mention_entity (mention_id, entity_id) VALUES (%s, %s)",
                [(pk, first + index) for pk, index in self.resolved],
            )
            cursor.execute(
                "UPDATE intelligence_mention SET entity_id = bench_mention_entity.entity_id "
                "FROM bench_mention_entity WHERE intelligence_mention.id = "
                "bench_mention_entity.mention_id"
            )
            cursor.execute("DROP TABLE bench_mention_entity")


def recurring[Item](randomiser: random.Random, items: list[Item]) -> Item:
    """An item of a list, the first ones more often (common names, busy streets)."""
    return items[int(len(items) * randomiser.random() ** 1.5)]


def invent_person(randomiser: random.Random) -> tuple[str, datetime.date | None, str]:
    """A name, and the date of birth and nationality a report gives for it, if any."""
    nationality, given, family = recurring(randomiser, NAME_POOLS)
    names = [recurring(randomiser, given)]
    if randomiser.random() < 0.2:
        names.append(randomiser.choice(given))
    names.append(recurring(randomiser, family))
    born = (
        datetime.date(1960, 1, 1) + datetime.timedelta(days=randomiser.randrange(17_500))
        if randomiser.random() < 0.5
        else None
    )
    return " ".join(names), born, nationality if randomiser.random() < 0.5 else ""


def invent_postcode(randomiser: random.Random) -> str:
    letters = "".join(randomiser.choices(POSTCODE_LETTERS, k=2))
    return f"{recurring(randomiser, DISTRICTS)} {randomiser.randrange(10)}{letters}"


def invent_value(kind: str, randomiser: random.Random, company_numbers: Iterator[int]) -> str:
    """A value as a partner would write it for a new entity of ``kind`` (not a person)."""
    choose = randomiser.choice
    if kind == "location":
        building = str(randomiser.randrange(1, 250))
        if randomiser.random() < 0.2:
            building = f"Flat {randomiser.randrange(1, 12)}, {building}"
        return f"{building} {recurring(randomiser, STREETS)}, {invent_postcode(randomiser)}"
    if kind == "business":
        name = f"{choose(BUSINESS_WORDS)} {choose(BUSINESS_KINDS)}{choose(LEGAL_FORMS)}"
        if randomiser.random() < 0.1:
            return f"{name} (company number {next(company_numbers):08d})"
        return f"{name}, {invent_postcode(randomiser)}"
    if kind == "vehicle":
        letters = "".join(randomiser.choices(REGISTRATION_LETTERS, k=5))
        return f"{letters[:2]}{randomiser.randrange(10, 75)} {letters[2:]}"
    if kind == "phone":
        if randomiser.random() < 0.15:
            return choose(FOREIGN_PHONES).format(randomiser.randrange(10**8))
        digits = f"{randomiser.randrange(10**8):08d}"
        return f"{choose(MOBILE_PREFIXES)}{digits[:2]} {digits[2:]}"
    given = choose(choose(NAME_POOLS)[1])
    handle = f"{choose(BUSINESS_WORDS)}_{given}{randomiser.randrange(100_000)}".lower()
    if kind == "email":
        return f"{handle}@{choose(EMAIL_DOMAINS)}"
    if kind == "online_profile":
        return choose(PROFILE_SITES).format(handle)
    return f"{randomiser.randrange(10_000):04d}"  # bank account, last 4 digits


def measure(correlations: int) -> dict[str, object]:
    """p50 and p95 of correlating a new report's ten mentions, and of the bare lookup."""
    import django

    django.setup()
    from django.db.models import Max, Min

    from lantern.entities.models import Entity
    from lantern.intelligence.models import IntelligenceReport

    randomiser = random.Random(SEED)
    known = _Known(randomiser, **Entity.objects.aggregate(first=Min("pk"), last=Max("pk")))
    report_ids = list(IntelligenceReport.objects.values_list("pk", flat=True))
    correlating: list[_Correlation] = []
    looking_up: list[float] = []
    for number in range(WARM_UP + correlations):
        written = new_report_mentions(randomiser, known)
        lookups = bare_lookups(written)
        report_id = randomiser.choice(report_ids)
        # Alternately first and second, so that neither always finds the pages the other read.
        if number % 2:
            correlated, looked_up = time_correlation(report_id, written), lookups()
        else:
            looked_up, correlated = lookups(), time_correlation(report_id, written)
        if number >= WARM_UP:
            correlating.append(correlated)
            looking_up.append(looked_up)
    figures: dict[str, object] = {"correlations": correlations}
    seconds = [correlation.seconds for correlation in correlating]
    for name, latencies in (("correlate", seconds), ("lookup", looking_up)):
        cuts = statistics.quantiles(latencies, n=100, method="inclusive")
        figures |= {
            f"{name}_p50_ms": round(cuts[49] * 1000, 2),
            f"{name}_p95_ms": round(cuts[94] * 1000, 2),
            f"{name}_max_ms": round(max(latencies) * 1000, 2),
        }
    for cut in ("p50", "p95"):
        figures[f"ratio_{cut}"] = round(
            figures[f"correlate_{cut}_ms"] / figures[f"lookup_{cut}_ms"], 1
        )
    queries = [correlation.queries for correlation in correlating]
    return figures | {
        "correlate_queries_median": statistics.median(queries),
        "correlate_queries_max": max(queries),
        "suggestions_per_report": round(
            statistics.mean(correlation.suggestions for correlation in correlating), 1
        ),
    }


@dataclass(frozen=True)
class _Correlation:
    seconds: float
    queries: int
    suggestions: int


def time_correlation(report_id: int, written: list) -> _Correlation:
    """Save ``written`` as mentions of the report and time their correlation alone, in a
    transaction rolled back afterwards, so that every new report meets the same entities."""
    from django.db import connection, transaction
    from django.db.models import Max

    from lantern.entities import correlation, mentions
    from lantern.entities.models import Match, Mention
    from lantern.intelligence.models import IntelligenceReport

    executed: list[str] = []

    def count(execute: Callable, sql: str, *arguments: object) -> object:
        executed.append(sql)
        return execute(sql, *arguments)

    with transaction.atomic():
        report = IntelligenceReport(pk=report_id)
        stored = Mention.objects.bulk_create(mentions.new_mentions(report, written))
        last_match = Match.objects.aggregate(last=Max("pk"))["last"] or 0
        with connection.execute_wrapper(count):
            started = time.perf_counter()
            correlation.correlate(stored)
            seconds = time.perf_counter() - started
        if any(mention.entity_id is None for mention in stored):
            sys.exit("Correlation failed (its error is logged above): nothing to measure.")
        suggestions = Match.objects.filter(pk__gt=last_match).count()
        transaction.set_rollback(True)
    return _Correlation(seconds, len(executed), suggestions)


class _Known:
    """Existing entities of each kind, drawn at random, to write again in new reports."""

    def __init__(self, randomiser: random.Random, first: int, last: int) -> None:
        from lantern.entities.models import Entity

        ids = randomiser.sample(range(first, last + 1), min(50_000, last - first + 1))
        self.by_kind: dict[str, list] = {}
        for start in range(0, len(ids), 5000):
            for entity in Entity.objects.filter(pk__in=ids[start : start + 5000]):
                self.by_kind.setdefault(entity.kind, []).append(entity)
        self.randomiser = randomiser

    def any(self, kind: str):
        return self.randomiser.choice(self.by_kind[kind])


def new_report_mentions(randomiser: random.Random, known: _Known) -> list:
    """Ten mentions as a partner writes them: known people, places, vehicles and phones
    written another way, a person with a name like a known one's, new ones."""
    from lantern.entities.mentions import MentionData

    def data(kind: str, value: str, born: datetime.date | None = None, nationality: str = ""):
        return MentionData(
            kind=kind,
            role=randomiser.choice(ROLES[kind]),
            value=value,
            date_of_birth=born,
            nationality=nationality,
        )

    same = known.any("person")
    similar = known.any("person")
    new_name, born, nationality = invent_person(randomiser)
    numbers = iter(range(randomiser.randrange(10**7), 10**8))
    mentions = [
        data("person", rewrite_name(randomiser, same.label), same.date_of_birth, same.nationality),
        data("person", misspell(randomiser, similar.label), similar.date_of_birth),
        data("person", new_name, born, nationality),
        data("location", rewrite_address(known.any("location").label)),
        data("phone", rewrite_phone(known.any("phone").key)),
        data("phone", invent_value("phone", randomiser, numbers)),
    ]
    for kind, share_known in (("business", 0.5), ("vehicle", 0.7), ("email", 0.5)):
        if kind == "email" and randomiser.random() < 0.5:
            kind = "online_profile"
        if randomiser.random() < share_known:
            value = (
                known.any(kind).label.upper() if kind != "online_profile" else known.any(kind).label
            )
        else:
            value = invent_value(kind, randomiser, numbers)
        mentions.append(data(kind, value))
    mentions.append(data("bank_account", invent_value("bank_account", randomiser, numbers)))
    return mentions


def rewrite_name(randomiser: random.Random, name: str) -> str:
    """The same name written another way: surname first, in capitals, without accents."""
    from lantern.core import normalisers

    words = name.split()
    return randomiser.choice(
        [
            f"{words[-1].upper()}, {' '.join(words[:-1])}",
            name.upper(),
            normalisers.transliterate(name),
            name,
        ]
    )


def misspell(randomiser: random.Random, name: str) -> str:
    """A name like ``name``: one letter of its longest word swapped, doubled or dropped."""
    words = name.split()
    longest = max(range(len(words)), key=lambda index: len(words[index]))
    word = words[longest]
    at = randomiser.randrange(1, max(2, len(word) - 1))
    words[longest] = randomiser.choice(
        [
            word[:at] + word[at + 1 : at + 2] + word[at : at + 1] + word[at + 2 :],
            word[:at] + word[at] + word[at:] if at < len(word) else word + word[-1],
            word[:at] + word[at + 1 :],
        ]
    )
    return " ".join(words)


def rewrite_address(address: str) -> str:
    return address.replace("Street", "St").replace("Road", "Rd").upper()


def rewrite_phone(key: str) -> str:
    """An E.164 number as people write it: ``+447700900123`` → ``07700 900123``."""
    if key.startswith("+44"):
        return f"0{key[3:7]} {key[7:]}"
    return f"{key[:3]} {key[3:6]} {key[6:]}"


def bare_lookups(mentions: list) -> Callable[[], float]:
    """The plain SQL a correlation cannot do without, ready to time: each mention's entities
    by kind and key, and the candidates in the blocks of each person and place."""
    from django.db import connection

    from lantern.core import normalisers
    from lantern.entities import correlation
    from lantern.entities.models import Entity

    statements = []
    for mention in mentions:
        entity = Entity(
            kind=mention.kind,
            key=normalisers.mention_key(mention.kind, mention.value),
            label=mention.value,
            date_of_birth=mention.date_of_birth,
            nationality=mention.nationality,
        )
        statements.append((BARE_ENTITY_LOOKUP, [entity.kind, entity.key]))
        blocks = correlation.blocking_keys(entity)
        if blocks:
            placeholders = ", ".join(["%s"] * len(blocks))
            statements.append((BARE_BLOCK_LOOKUP.format(placeholders), blocks))

    def lookups() -> float:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for sql, parameters in statements:
                cursor.execute(sql, parameters)
                cursor.fetchall()
        return time.perf_counter() - started

    return lookups


if __name__ == "__main__":
    main()
