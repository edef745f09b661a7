"""The tables the demo's intelligence is written from (``lantern.demo.intelligence``):
LLR towns and streets, what the reports are about and how often, the words of their
summaries, narratives, assessments and taskings, and the names, vehicles and handles that
recur across them. Data only; every choice among them is the generator's, from its seed.
"""

from dataclasses import dataclass, field

from lantern.core.models import OrganisationType
from lantern.intelligence.models import ClosingReason, Sector, TaskingResult

# NRM referrals in the UK by year (DOMAIN.md §1): the demo's volumes grow as they did.
NATIONAL_REFERRALS = {2021: 12727, 2022: 16938, 2023: 17004, 2024: 19125, 2025: 23411}
POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # letters used in the inward part of a postcode


# Places: towns with their postcode district and a few real street names. Which area a
# postcode belongs to is asked of core.selectors, as for a partner's own submission.


@dataclass(frozen=True)
class Town:
    name: str
    district: str
    streets: tuple[str, ...]


TOWNS = (
    Town("Leicester", "LE1", ("Granby Street", "Church Gate", "Humberstone Gate")),
    Town("Leicester", "LE2", ("London Road", "Evington Road", "Aylestone Road")),
    Town("Leicester", "LE3", ("Narborough Road", "Hinckley Road", "Fosse Road South")),
    Town("Leicester", "LE4", ("Belgrave Road", "Melton Road", "Abbey Lane")),
    Town("Leicester", "LE5", ("Humberstone Road", "Uppingham Road", "St Saviours Road")),
    Town("Blaby", "LE8", ("Lutterworth Road", "Sycamore Street")),
    Town("Whetstone", "LE8", ("High Street", "Cambridge Road")),
    Town("Enderby", "LE19", ("Mill Lane", "Leicester Lane")),
    Town("Narborough", "LE19", ("Leicester Road", "Station Road")),
    Town("Kirby Muxloe", "LE9", ("Main Street",)),
    Town("Loughborough", "LE11", ("Market Street", "Derby Road", "Ashby Road")),
    Town("Shepshed", "LE12", ("Charnwood Road", "Loughborough Road")),
    Town("Syston", "LE7", ("High Street", "Melton Road")),
    Town("Market Harborough", "LE16", ("St Mary's Road", "Northampton Road")),
    Town("Lutterworth", "LE17", ("Magna Park", "Leicester Road", "Station Road")),
    Town("Hinckley", "LE10", ("Coventry Road", "Castle Street", "Watling Street")),
    Town("Market Bosworth", "CV13", ("Station Road",)),
    Town("Ratby", "LE6", ("Main Street",)),
    Town("Melton Mowbray", "LE13", ("Nottingham Street", "Leicester Road", "Scalford Road")),
    Town("Asfordby", "LE14", ("Main Street",)),
    Town("Coalville", "LE67", ("Belvoir Road", "Ashby Road", "Whitwick Road")),
    Town("Ashby-de-la-Zouch", "LE65", ("Market Street", "Tamworth Road")),
    Town("Castle Donington", "DE74", ("Station Road", "Bondgate")),
    Town("Measham", "DE12", ("High Street",)),
    Town("Wigston", "LE18", ("Leicester Road", "Bell Street", "Blaby Road")),
    Town("Oakham", "LE15", ("High Street", "Mill Street", "Station Road")),
    Town("Uppingham", "LE15", ("High Street East",)),
    Town("Ketton", "PE9", ("High Street",)),
)


# What the reports are about. Weights give the national mix (DOMAIN.md §1): criminal ≈ 36%,
# labour ≈ 30%, sexual ≈ 17%, domestic servitude ≈ 6%, not specified ≈ 11%, organ
# harvesting a trace; children mostly in criminal and sexual exploitation.


@dataclass(frozen=True)
class Scenario:
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


LABOUR_TASKABLE = (
    OrganisationType.LAW_ENFORCEMENT,
    OrganisationType.FIRE_AND_RESCUE,
    OrganisationType.LOCAL_AUTHORITY,
    OrganisationType.POLICE,
)

SCENARIOS = (
    Scenario(
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
    Scenario(
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
    Scenario(
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
    Scenario(
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
        taskable=LABOUR_TASKABLE,
    ),
    Scenario(
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
        taskable=LABOUR_TASKABLE,
        also=("sexual", 0.05),
    ),
    Scenario(
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
        taskable=LABOUR_TASKABLE,
    ),
    Scenario(
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
        taskable=LABOUR_TASKABLE,
    ),
    Scenario(
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
    Scenario(
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
        taskable=LABOUR_TASKABLE,
    ),
    Scenario(
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
    Scenario(
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
    Scenario(
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
    Scenario(
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
    Scenario(
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
    Scenario(
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
    Scenario(
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
OPENINGS = {
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
SUBMISSION_WEIGHTS = {
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
CONDITIONS_SHARE = {
    OrganisationType.POLICE: 0.4,
    OrganisationType.LAW_ENFORCEMENT: 0.45,
    OrganisationType.HEALTH: 0.6,
    OrganisationType.LOCAL_AUTHORITY: 0.3,
    OrganisationType.CHARITY: 0.25,
}
# Who a partner names in its conditions: agencies that act and those that support victims.
NAMED_IN_CONDITIONS = (
    OrganisationType.POLICE,
    OrganisationType.LAW_ENFORCEMENT,
    OrganisationType.LOCAL_AUTHORITY,
    OrganisationType.HEALTH,
    OrganisationType.CHARITY,
)
CONDITIONS = (
    "Source protection: do not disclose the source or act on this without speaking to the "
    "originator first.",
    "Contains information about a child: share only with safeguarding and police partners.",
    "Not for onward disclosure outside the hub: an operation is being planned.",
    "Health information given in confidence: use only to safeguard the people concerned.",
)

ENTITY_SENTENCES = {
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
FRENCH_QUOTES = (
    "On nous a pris nos passeports à l'arrivée.",
    "Je dois rembourser ma dette avant de pouvoir partir.",
    "Nous dormons sur place et nous n'avons jamais de jour de repos.",
    "Ils menacent ma famille au pays si je parle à la police.",
)
ASSESSMENTS = (
    "Corroborated by earlier reports that mention the same premises or people.",
    "Consistent with the indicators for this sector; the premises are known to partners.",
    "Single-source report, not yet corroborated. Gap: who controls the people concerned.",
    "Linked to an active line of enquiry; shared with the operation team.",
    "Low risk on the information available; kept for the intelligence picture.",
)
TASKING_REQUESTS = {
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
TASKING_RESPONSES = {
    TaskingResult.ACTION_TAKEN: "Visit carried out; people spoken to alone and offered support. "
    "Referral made where consent was given.",
    TaskingResult.INTELLIGENCE_CONFIRMED: "Inspection confirmed people living on the premises; "
    "enforcement notice served.",
    TaskingResult.NOTHING_FOUND: "Premises visited; no one living on site and no indicators seen.",
    TaskingResult.COULD_NOT_ACT: "No one answered on two visits; the business appears to have "
    "closed.",
}
CLOSING_NOTES = {
    ClosingReason.NO_FURTHER_ACTION: "No indicators found after enquiries.",
    ClosingReason.REFERRED_TO_OPERATION: "Included in a joint multi-agency visit.",
    ClosingReason.REFERRED_FOR_SAFEGUARDING: "NRM referral made by the first responder.",
    ClosingReason.PASSED_ON: "The people concerned are now believed to be outside LLR.",
}
REGRADING_REASONS = {
    "1": "The source has given reliable information before.",
    "B": "Corroborated by a second, independent source.",
    "D": "Partly contradicted by what officers found.",
    "E": "Enquiries suggest the report was malicious.",
}

GIVEN_NAMES = [
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
FEMALE_GIVEN_NAMES = frozenset(GIVEN_NAMES[GIVEN_NAMES.index("Amira") :])
FAMILY_NAMES = [
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
VEHICLES = (
    "white Ford Transit van",
    "silver Vauxhall Zafira",
    "black Audi A3",
    "grey Toyota Prius",
    "blue Mercedes Sprinter minibus",
    "black BMW 3 Series",
    "white Renault Trafic van",
    "red Volkswagen Golf",
)
MEMORY_TAGS = "AB AF BD BN CY DK EA FD FE FG FH FL FN FP GX HN KP LR MA NA PF RK SN VE WR YB"
REGISTRATION_LETTERS = "ABCDEFGHJKLMNOPRSTUVWXY"  # the DVLA issues neither I nor Q...
HANDLE_WORDS = [
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

NATIONALITIES = ("British", "Albanian", "Romanian", "Vietnamese", "Polish", "Chinese")
