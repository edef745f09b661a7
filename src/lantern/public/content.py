"""The words of the public information pages: the general signs and one page per form of
exploitation and per sector where it can hide (DOMAIN.md §4).

The pages are content, not data an administrator edits: they change with the guidance, go
through review like code and are translated in the French catalogue, so every string is
wrapped in ``gettext_lazy`` for ``makemessages`` to find. Phone numbers are not here: they
are ``HelpChannel`` rows, so that a number can change without a release. A page names the
audiences whose channels it adds to its "what to do" ending instead.

Words are plain (a reading age of about 9) and the signs are about how people are
treated, never about who they are: anyone can be exploited, and no sector, nationality or
community is to blame.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lantern.public.models import HelpChannel

# A string that is translated when it is rendered, in the reader's language.
Text = Promise


class Kind(StrEnum):
    """How the signs pages are grouped: forms of exploitation, and places it can hide."""

    FORM = "form"
    SECTOR = "sector"


@dataclass(frozen=True)
class Section:
    """A heading with paragraphs and, optionally, a bulleted list after them."""

    heading: Text
    paragraphs: tuple[Text, ...] = ()
    items: tuple[Text, ...] = ()


@dataclass(frozen=True)
class SignPage:
    """One page of signs; the template adds the shared "what to do" ending to each.

    ``what_to_do`` holds the advice that only this page needs, shown before the shared
    ending; ``audiences`` adds the help channels for those audiences (for example the
    workers' channel on the sector pages) to the channels every page shows.
    """

    slug: str
    kind: Kind
    title: Text
    summary: Text
    introduction: tuple[Text, ...]
    signs: tuple[Text, ...]
    sections: tuple[Section, ...] = ()
    what_to_do: tuple[Text, ...] = ()
    audiences: tuple[HelpChannel.Audience, ...] = ()
    related: tuple[str, ...] = ()

    @property
    def related_pages(self) -> tuple["SignPage", ...]:
        """The pages this one links to, skipping any slug that no longer exists."""
        pages = (sign_page(slug) for slug in self.related)
        return tuple(page for page in pages if page is not None)


# The general signs, grouped so that a long list stays easy to scan.
GENERAL_SIGNS: tuple[Section, ...] = (
    Section(
        heading=_("How they look"),
        items=(
            _("They have injuries, or marks that look like someone has hurt them."),
            _("They look hungry, very tired or unwashed."),
            _("Their clothes are not right for their work or for the weather."),
        ),
    ),
    Section(
        heading=_("Who is in control"),
        items=(
            _("They are rarely alone. Someone is always with them."),
            _("Someone else speaks for them."),
            _("They do not know their home address or the area they are in."),
            _("They are not free to come and go."),
        ),
    ),
    Section(
        heading=_("Where they live"),
        items=(
            _("They live in a crowded house with lots of other people."),
            _("They live at the place where they work."),
        ),
    ),
    Section(
        heading=_("Belongings and documents"),
        items=(
            _("They have few or no belongings of their own."),
            _("They do not have their passport or ID, because someone else keeps it."),
        ),
    ),
    Section(
        heading=_("Money"),
        items=(
            _("Someone else takes their wages."),
            _("Someone else paid for their travel, and now they must pay it back."),
            _("They owe a debt that they can never pay off."),
        ),
    ),
    Section(
        heading=_("Work and travel"),
        items=(
            _("They work very long hours, with no days off."),
            _("They are picked up very early, or dropped back very late."),
            _("They are moved around in a group, often in the same vehicle."),
        ),
    ),
    Section(
        heading=_("Fear"),
        items=(
            _("They seem scared of the police, or of being sent out of the country."),
            _("They are afraid that someone will hurt their family."),
            _("They seem afraid to talk to people or to look at them."),
        ),
    ),
)

# Workers' rights, shown on the labour exploitation page and on the sector pages: the
# sector pages are about how workers are treated, so they say what every worker is owed.
WORKERS_RIGHTS = Section(
    heading=_("Every worker has rights"),
    paragraphs=(_("Every worker in the UK has rights. These include the right:"),),
    items=(
        _("to be paid at least the minimum wage"),
        _("to get a payslip that shows their pay and anything taken off it"),
        _("to have rest breaks and paid holiday"),
        _("to be given the safety equipment they need, for free"),
        _("to keep their own passport and ID"),
        _("to leave their job"),
    ),
)

WORKERS = (HelpChannel.Audience.WORKERS,)

SIGN_PAGES: tuple[SignPage, ...] = (
    # Forms of exploitation.
    SignPage(
        slug="labour-exploitation",
        kind=Kind.FORM,
        title=_("Labour exploitation"),
        summary=_("When someone is made to work for little or no pay, and cannot leave."),
        introduction=(
            _(
                "Labour exploitation is when a person is forced or tricked into work, and "
                "then cannot leave. They may be paid very little, or nothing at all."
            ),
            _(
                "It can happen in any kind of work, such as farms, factories, building "
                "sites, car washes, shops, restaurants and private homes."
            ),
        ),
        signs=(
            _("They work very long hours, with no days off."),
            _("They are paid very little, or nothing at all."),
            _("Someone else takes their wages, or keeps their bank card."),
            _("Money is taken from their pay for housing, travel or fees, so little is left."),
            _("They owe a debt to their boss, or to the person who found them the job."),
            _("They were promised a different job or different pay."),
            _("They have no safety clothes or equipment, even for dangerous work."),
            _("They live where they work, or in housing that their boss controls."),
            _("They are taken to and from work in a group, very early or very late."),
            _("Their boss keeps their passport or ID."),
        ),
        sections=(WORKERS_RIGHTS,),
        what_to_do=(
            _(
                "If you are worried about how workers are treated, tell someone, even if "
                "you are not sure that it is modern slavery."
            ),
        ),
        audiences=WORKERS,
    ),
    SignPage(
        slug="sexual-exploitation",
        kind=Kind.FORM,
        title=_("Sexual exploitation"),
        summary=_(
            "When someone is forced or tricked into sex or sexual acts for someone else’s gain."
        ),
        introduction=(
            _(
                "Sexual exploitation is when someone is made to have sex, or do sexual "
                "things, so that someone else can make money or get something. They may be "
                "forced, threatened, tricked or trapped by a debt."
            ),
            _(
                "It can happen in houses, flats and hotels. It is often arranged online, "
                "so it can be hard to see from the street."
            ),
        ),
        signs=(
            _("Several people, often women, live or stay at one address."),
            _("Lots of different people, often men, visit for a short time, at all hours."),
            _("The people who live there rarely go out, or only go out with someone else."),
            _("A house, flat or hotel room is used for a few days, then everyone moves on."),
            _("They are advertised for sex online, and someone else runs the adverts."),
            _("Someone else takes the money."),
            _("They seem scared, very tired, or under the influence of drugs or alcohol."),
            _("They do not know the address or the area."),
        ),
        sections=(
            Section(
                heading=_("Children"),
                paragraphs=(
                    _(
                        "A child cannot agree to sex in exchange for anything. It is always "
                        "abuse, and it is never the child’s fault. If you think a child is "
                        "at risk, tell someone straight away."
                    ),
                ),
            ),
        ),
        what_to_do=(_("Do not go to the address, and do not answer the adverts yourself."),),
        related=("child-exploitation", "hospitality"),
    ),
    SignPage(
        slug="criminal-exploitation",
        kind=Kind.FORM,
        title=_("Criminal exploitation and county lines"),
        summary=_(
            "When someone is forced to commit crimes, such as selling drugs, growing "
            "cannabis, stealing or begging."
        ),
        introduction=(
            _(
                "Criminal exploitation is when someone is made to commit crimes for other "
                "people. This includes selling or moving drugs, growing cannabis, stealing, "
                "begging and fraud."
            ),
            _(
                "County lines is when gangs use children or vulnerable adults to move and "
                "sell drugs in other towns. The “line” is the phone number that buyers call."
            ),
            _(
                "A person who is forced to commit crimes is a victim of exploitation. They "
                "need help."
            ),
        ),
        signs=(
            _("A child or young person goes missing from home or school."),
            _("They have money, phones, clothes or trainers that they cannot explain."),
            _("They have more than one phone, and it rings or gets messages all the time."),
            _("They spend time with older people who seem to control them."),
            _("They travel to other towns, or are found far from home."),
            _("They have injuries that they will not talk about."),
            _("A group of people begging are dropped off and picked up by the same person."),
        ),
        sections=(
            Section(
                heading=_("Cuckooing"),
                paragraphs=(
                    _(
                        "Sometimes a gang takes over the home of a vulnerable person to sell "
                        "or store drugs. This is called cuckooing."
                    ),
                    _(
                        "Signs include lots of new people coming and going, more cars or "
                        "bikes outside, and the person who lives there seeming scared or no "
                        "longer being seen."
                    ),
                ),
            ),
            Section(
                heading=_("Cannabis growing"),
                paragraphs=(
                    _(
                        "People, including children, can be forced to grow cannabis in "
                        "houses and other buildings. They may be locked inside."
                    ),
                ),
            ),
        ),
        what_to_do=(
            _(
                "If a child may be involved, tell someone today. If you work with children, "
                "also follow your safeguarding procedure."
            ),
        ),
        related=("child-exploitation", "cannabis-cultivation"),
    ),
    SignPage(
        slug="domestic-servitude",
        kind=Kind.FORM,
        title=_("Domestic servitude"),
        summary=_(
            "When someone is forced to work in a private home, such as cleaning, cooking "
            "or looking after children, and cannot leave."
        ),
        introduction=(
            _(
                "Domestic servitude is when someone works in a private home and is not free "
                "to leave. They may clean, cook, or look after children or older people."
            ),
            _(
                "They are often hidden inside the home, so they can be hard to spot. They "
                "may be told that they are “part of the family”."
            ),
        ),
        signs=(
            _("They live with a family but rarely go out alone."),
            _("They work very long hours, every day, for little or no pay."),
            _("They sleep on the floor, in the kitchen, or somewhere with no privacy."),
            _("They do not eat with the family, or only get leftovers."),
            _("The family keeps their passport or ID."),
            _("They seem scared of the family, or the family speaks for them."),
            _(
                "A child who lives with the family does housework all day and does not go to "
                "school."
            ),
        ),
        what_to_do=(
            _(
                "If you visit the home for your work, such as a delivery, a repair or a "
                "health visit, remember what you saw and tell someone after you leave."
            ),
        ),
        related=("child-exploitation",),
    ),
    SignPage(
        slug="child-exploitation",
        kind=Kind.FORM,
        title=_("Child exploitation"),
        summary=_("When someone uses a child for their own gain, through sex, crime or work."),
        introduction=(
            _(
                "A child is anyone under 18. Child exploitation is when someone uses a child "
                "to get money or something else they want. They may give the child gifts, "
                "money, drugs or attention, and then use fear or threats."
            ),
            _(
                "Children can be sexually exploited, made to commit crimes such as county "
                "lines, or made to work."
            ),
            _(
                "A child cannot agree to being exploited. It is always abuse, and it is never the "
                "child’s fault."
            ),
        ),
        signs=(
            _("They go missing from home, from care or from school."),
            _("They have money, phones, clothes or gifts that they cannot explain."),
            _("They have older friends, or a boyfriend or girlfriend who is much older."),
            _("They are picked up in cars by people you do not know."),
            _("They have injuries, or their mood or behaviour changes."),
            _("They use drugs or alcohol."),
            _("They are found in another town, far from home."),
            _("They seem scared of someone, or too scared to talk."),
        ),
        sections=(
            Section(
                heading=_("If you work with children"),
                paragraphs=(
                    _(
                        "Follow your organisation’s safeguarding procedure and tell your "
                        "safeguarding lead. You can also contact the children’s services of "
                        "the local council."
                    ),
                    _(
                        "A child does not have to agree before they are referred for support "
                        "through the National Referral Mechanism (NRM)."
                    ),
                ),
            ),
        ),
        what_to_do=(
            _(
                "If you think a child is being exploited, tell someone today. Do not wait until "
                "you are sure."
            ),
        ),
        audiences=(HelpChannel.Audience.PROFESSIONALS,),
        related=("criminal-exploitation", "sexual-exploitation"),
    ),
    # Sectors where exploitation can hide: about how workers are treated, so every page
    # starts by saying most workplaces are fair and ends with workers' rights.
    SignPage(
        slug="hand-car-washes",
        kind=Kind.SECTOR,
        title=_("Hand car washes"),
        summary=_("Signs that car wash workers are not being treated fairly."),
        introduction=(
            _(
                "Many hand car washes treat their workers fairly. But the work is often paid "
                "in cash and hard to check, so exploitation can hide there."
            ),
            _(
                "When you get your car washed, you are close to the workers, so you may "
                "notice signs that other people miss."
            ),
        ),
        signs=(
            _("Workers have no gloves, boots or waterproof clothes, even with strong chemicals."),
            _("Workers seem to live on the site, for example in a cabin or a container."),
            _("It is cash only, and you cannot get a receipt."),
            _("The prices are very low."),
            _("A manager seems to control the workers, or speaks for them."),
            _("The workers arrive and leave together, in the same vehicle."),
            _("Workers look tired, hungry or hurt, or work very long days."),
        ),
        sections=(WORKERS_RIGHTS,),
        what_to_do=(
            _(
                "Do not ask the workers or the manager about it. Note the name and address "
                "of the car wash, and what you saw."
            ),
        ),
        audiences=WORKERS,
        related=("labour-exploitation",),
    ),
    SignPage(
        slug="nail-bars",
        kind=Kind.SECTOR,
        title=_("Nail bars"),
        summary=_("Signs that nail bar workers are not being treated fairly."),
        introduction=(
            _(
                "Most nail bars are safe and fair places to work. But some workers are "
                "exploited, and the signs can be easy to miss."
            ),
        ),
        signs=(
            _("It is cash only."),
            _("Staff seem to work every day, with no days off."),
            _("Staff seem to live together, in housing that the boss provides."),
            _("Staff are dropped off and picked up together."),
            _("Someone else always speaks for the staff, or they seem scared to talk."),
            _("Staff look very tired, or seem scared of the manager."),
            _("Staff look younger than 18 and work during school hours."),
        ),
        sections=(
            WORKERS_RIGHTS,
            Section(
                heading=_("Other kinds of exploitation"),
                paragraphs=(
                    _(
                        "Sometimes the people who control nail bar workers also force people "
                        "to grow cannabis, or exploit them sexually."
                    ),
                ),
            ),
        ),
        what_to_do=(
            _(
                "Do not ask the staff or the manager about it. Note the name and address of the "
                "nail bar, and what you saw."
            ),
        ),
        audiences=WORKERS,
        related=("labour-exploitation", "cannabis-cultivation", "sexual-exploitation"),
    ),
    SignPage(
        slug="agriculture-and-food-packing",
        kind=Kind.SECTOR,
        title=_("Farms, food factories and packing"),
        summary=_(
            "Signs that workers on farms or in food factories and packhouses are not being "
            "treated fairly."
        ),
        introduction=(
            _(
                "Farms, food factories and packhouses need lots of workers, often for a "
                "short season. Many workers find these jobs through a labour provider, "
                "sometimes called a gangmaster."
            ),
            _(
                "Most workers are treated fairly. But workers can be exploited by the people "
                "who find them work, house them or drive them to work."
            ),
            _(
                "In this work, labour providers must have a licence from the Gangmasters and "
                "Labour Abuse Authority (GLAA)."
            ),
        ),
        signs=(
            _("Workers are taken to work by bus or van, very early, and brought back very late."),
            _("Their wages are paid to someone else, not to them."),
            _("Money is taken from their pay for housing, travel or fees, so little is left."),
            _("They live in crowded housing that their boss or labour provider controls."),
            _("They owe a debt to the person who found them the job."),
            _("They do not have the right clothes or safety equipment."),
            _("Someone else keeps their passport or ID."),
        ),
        sections=(WORKERS_RIGHTS,),
        audiences=WORKERS,
        related=("labour-exploitation",),
    ),
    SignPage(
        slug="construction",
        kind=Kind.SECTOR,
        title=_("Building sites"),
        summary=_("Signs that construction workers are not being treated fairly."),
        introduction=(
            _(
                "Building work uses lots of workers, often through agents and "
                "subcontractors. Most are treated fairly, but exploitation can hide in long "
                "chains of contractors."
            ),
        ),
        signs=(
            _("Workers were promised a job or pay that turned out to be different."),
            _("Workers owe money to the person who brought them here or found them the job."),
            _("Workers live on the building site, or in crowded housing that the boss controls."),
            _("Workers have no helmet, boots, gloves or other safety equipment."),
            _("Workers do not know how much they will be paid, or get no payslip."),
            _("Fees are taken from their pay."),
            _("Workers work very long weeks, with no days off."),
            _("Workers are picked up and dropped off together."),
        ),
        sections=(WORKERS_RIGHTS,),
        audiences=WORKERS,
        related=("labour-exploitation",),
    ),
    SignPage(
        slug="cannabis-cultivation",
        kind=Kind.SECTOR,
        title=_("Cannabis farms"),
        summary=_(
            "Signs that a building is used to grow cannabis, and that people may be trapped inside."
        ),
        introduction=(
            _(
                "Cannabis is often grown indoors, in houses, flats, shops and industrial "
                "units. People can be forced to live there and look after the plants. Some "
                "of them are children."
            ),
            _(
                "They may be locked in, threatened, or told that they owe a debt. A person "
                "forced to grow cannabis is a victim of exploitation."
            ),
        ),
        signs=(
            _("The windows are always covered or blacked out."),
            _("The doors have been made stronger, or have extra locks."),
            _("There is a strong, sweet smell."),
            _("There is lots of heat, or water on the inside of the windows."),
            _("You can hear the hum of fans all the time."),
            _("Snow melts on the roof much faster than on the roofs next to it."),
            _("Someone seems to live there but is never seen going out."),
            _("Visitors come at odd hours and only stay a short time."),
        ),
        what_to_do=(
            _(
                "Do not go to the building or try to look inside. The electrics can be "
                "dangerous, and so can the people in control."
            ),
            _("If you think someone is locked inside, call 999."),
        ),
        related=("criminal-exploitation",),
    ),
    SignPage(
        slug="hospitality",
        kind=Kind.SECTOR,
        title=_("Hotels, restaurants and cafés"),
        summary=_(
            "Signs that hospitality workers are not being treated fairly, or that a hotel is "
            "being used to exploit someone."
        ),
        introduction=(
            _(
                "Hotels, restaurants, cafés and bars employ lots of people, and most treat "
                "their staff fairly."
            ),
            _(
                "Exploitation can happen in kitchens and cleaning jobs that customers do not "
                "see. Other people can also use hotel rooms to exploit someone, for example "
                "sexually."
            ),
        ),
        signs=(
            _("Staff live above or behind the workplace, and rarely leave."),
            _("Staff work very long hours, every day."),
            _("Staff are paid very little, only in cash, or not at all."),
            _("Someone else takes their tips or their wages."),
            _("Staff seem scared of a manager, or a manager speaks for them."),
            _("A guest is always with someone who seems to control them."),
            _("Lots of different visitors go to one hotel room."),
            _("Someone else books and pays for a guest’s room."),
        ),
        sections=(WORKERS_RIGHTS,),
        what_to_do=(
            _(
                "If you work in a hotel, tell your manager or follow your workplace’s procedure, "
                "as well as reporting."
            ),
        ),
        audiences=WORKERS,
        related=("labour-exploitation", "sexual-exploitation"),
    ),
    SignPage(
        slug="manufacturing",
        kind=Kind.SECTOR,
        title=_("Factories and workshops"),
        summary=_(
            "Workers’ rights in manufacturing, such as clothes and furniture making: pay, hours "
            "and safety."
        ),
        introduction=(
            _(
                "Factories and workshops make clothes, furniture and many other things. Most "
                "treat their workers fairly."
            ),
            _(
                "Some workers are paid too little, paid cash in hand, or work in unsafe "
                "buildings. This is wrong and you can report it, even if it is not modern "
                "slavery."
            ),
            _(
                "Problems at one workplace do not mean that a whole industry or a community "
                "is to blame."
            ),
        ),
        signs=(
            _("Workers are paid less than the minimum wage, or paid cash in hand with no payslip."),
            _("Workers are not paid for all the hours they work."),
            _("Workers work very long hours, with no days off."),
            _("The building is unsafe, for example the fire exits are blocked."),
            _("Workers have no contract, or do not know who their employer is."),
            _("Money is taken from their pay for things they did not agree to."),
            _("Workers are afraid of losing their job if they complain."),
            _("Workers live at the workplace, or someone else keeps their ID."),
        ),
        sections=(WORKERS_RIGHTS,),
        what_to_do=(
            _(
                "If you are worried about pay or safety at work, you can report it even if you "
                "are not sure that it is modern slavery."
            ),
        ),
        audiences=WORKERS,
        related=("labour-exploitation",),
    ),
)


def sign_page(slug: str) -> SignPage | None:
    """The page with this slug, or ``None`` so that the view can answer 404."""
    return next((page for page in SIGN_PAGES if page.slug == slug), None)


def pages_of_kind(kind: Kind) -> tuple[SignPage, ...]:
    """The forms of exploitation, or the sectors, in the order the pages are listed."""
    return tuple(page for page in SIGN_PAGES if page.kind == kind)
