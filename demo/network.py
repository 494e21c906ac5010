"""A believable year of a local network, for the demo: families, partners, activities, sessions,
registrations, attendance, volunteer hours, projects, friend matching and pathways (lotsning).

Called by the demo seed (tenants/demo.py) inside each municipality's schema. It fills an empty network
only, so running the seed again duplicates nothing. A fixed random seed per municipality makes the data
the same on every run (relative to today's date: twelve months back, six weeks ahead). Rows are written
in bulk so a municipality takes well under a few seconds; matching and pathways go through their services
(a few hundred rows), so every rule they keep holds for the demo too.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from activities.models import (
    Activity,
    ActivityCategory,
    Arena,
    Attendance,
    AttendanceChange,
    AttendanceStatus,
    Audience,
    FunderKind,
    Project,
    Registration,
    RegistrationStatus,
    ReportingDate,
    ScheduleKind,
    Session,
    SessionStatus,
    VolunteerHours,
)
from activities.services.activities import ActivityData, Schedule, activity_create
from matching.models import (
    Availability,
    CheckIn,
    CheckInStatus,
    ContactKind,
    Match,
    MatchEndReason,
    MatchingOptOut,
    MatchKind,
    MatchPreference,
    MatchRequest,
    Pathway,
    PathwayEndReason,
    PathwayOutcome,
    PathwayStage,
)
from matching.selectors.match_scoring import Profile, score_reasons
from matching.services.matching import (
    check_in_complete,
    district_neighbour_add,
    match_activate,
    match_contact_log,
    match_end,
    match_first_meeting_book,
    match_propose,
    match_request_create,
    matching_opt_out_record,
)
from matching.services.pathways import pathway_create, pathway_stage_change
from partners.models import Partner, PartnerContact, PartnerKind
from people.models import Consent, ConsentPurpose, Gender, Household, HouseholdRole, Person, PersonGroup

# Names by language: (family names, women's names, men's names). Newcomers' languages as the brief has
# them: Arabic, Persian, Tigrinya, Somali, Ukrainian, Dari.
NAMES: dict[str, tuple[Sequence[str], Sequence[str], Sequence[str]]] = {
    "sv": (
        (
            "Andersson",
            "Johansson",
            "Karlsson",
            "Nilsson",
            "Eriksson",
            "Larsson",
            "Olsson",
            "Persson",
            "Svensson",
            "Gustafsson",
            "Lindberg",
            "Bergström",
            "Holm",
            "Sandberg",
            "Lund",
        ),
        (
            "Anna",
            "Eva",
            "Maria",
            "Karin",
            "Sara",
            "Lena",
            "Emma",
            "Sofia",
            "Ingrid",
            "Helena",
            "Alice",
            "Olivia",
            "Elsa",
            "Maja",
            "Wilma",
            "Ebba",
            "Astrid",
            "Saga",
        ),
        (
            "Lars",
            "Anders",
            "Johan",
            "Erik",
            "Per",
            "Karl",
            "Mikael",
            "Fredrik",
            "Nils",
            "Noah",
            "William",
            "Hugo",
            "Liam",
            "Oscar",
            "Elias",
            "Axel",
            "Leo",
            "Vincent",
        ),
    ),
    "ar": (
        ("Haddad", "Khalil", "Al-Hassan", "Mansour", "Saleh", "Darwish", "Nasser", "Youssef", "Ibrahim"),
        ("Fatima", "Amira", "Layla", "Noor", "Rania", "Huda", "Mariam", "Salma", "Yasmin", "Lina", "Jana"),
        ("Ahmad", "Mohammad", "Omar", "Khaled", "Yusuf", "Hassan", "Ali", "Karim", "Sami", "Adam", "Zaid"),
    ),
    "fa": (
        ("Hosseini", "Ahmadi", "Rahimi", "Karimi", "Mohammadi", "Rezaei", "Jafari"),
        ("Zahra", "Maryam", "Shirin", "Parisa", "Nasrin", "Roya", "Yasaman", "Setareh"),
        ("Reza", "Hamid", "Amir", "Mehdi", "Dariush", "Arash", "Kian", "Arman"),
    ),
    "prs": (
        ("Noori", "Sultani", "Habibi", "Azizi", "Popal", "Sadat"),
        ("Marzia", "Fereshta", "Madina", "Mursal", "Hasina", "Nilofar"),
        ("Ahmad", "Farid", "Jawad", "Mustafa", "Naweed", "Sohail"),
    ),
    "ti": (
        ("Tesfaye", "Gebremedhin", "Haile", "Berhane", "Kidane", "Tekle", "Yohannes"),
        ("Selam", "Helen", "Mebrat", "Senait", "Rahel", "Luwam", "Saba", "Feven"),
        ("Dawit", "Yonas", "Samuel", "Filmon", "Robel", "Henok", "Biniam", "Natnael"),
    ),
    "so": (
        ("Mohamed", "Abdi", "Warsame", "Hussein", "Farah", "Ali", "Osman", "Jama"),
        ("Hodan", "Amina", "Faduma", "Sahra", "Ifrah", "Nimco", "Hibaaq", "Ayaan"),
        ("Abdirahman", "Mohamed", "Ahmed", "Hassan", "Liban", "Bashir", "Said", "Yahye"),
    ),
    "uk": (
        ("Kovalenko", "Shevchenko", "Bondarenko", "Tkachenko", "Kravchenko", "Melnyk", "Boyko"),
        ("Olena", "Iryna", "Natalia", "Oksana", "Yulia", "Sofiia", "Anastasiia", "Daryna"),
        ("Oleksandr", "Andrii", "Dmytro", "Serhii", "Maksym", "Artem", "Bohdan", "Ivan"),
    ),
}
NEWCOMER_LANGUAGES = ("ar", "ar", "fa", "prs", "ti", "ti", "so", "so", "uk", "uk")
ARRIVAL_YEARS = {
    "ar": (2014, 2019),
    "fa": (2015, 2021),
    "prs": (2015, 2022),
    "ti": (2014, 2023),
    "so": (2012, 2020),
    "uk": (2022, 2024),
}
DISTRICTS = ("Centrum", "Norr", "Söder", "Öster", "Väster", "Stationsområdet")
INTERESTS = ("fotboll", "matlagning", "sömnad", "musik", "promenader", "schack", "trädgård", "cykling")


@dataclass
class Demo:
    """What the seed builds up as it goes, for the later steps."""

    rng: random.Random
    now: dt.datetime
    today: dt.date
    coordinator: User
    leaders: dict[str, list[User]] = field(default_factory=dict)
    often: dict[str, tuple[float, ...]] = field(default_factory=dict)
    people: list[Person] = field(default_factory=list)


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().replace(" ", "")


def _local(day: dt.date, hour: int = 12) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@transaction.atomic
def core_demo_seed(*, town: str, county: str, slug: str, today: dt.date | None = None) -> bool:
    """Fill an empty municipality with a believable year. Returns False (and does nothing) if it has data.

    A demo seeded before matching existed (people, but no match requests, matches or pathways) gets its
    matching history on the next run, once.
    """
    users = {user.role: user for user in User.objects.filter(is_superuser=False).order_by("-id")}
    if Role.COORDINATOR not in users or Role.VOLUNTEER not in users:
        return False
    now = timezone.now()
    demo = Demo(
        rng=random.Random(f"iv-demo-{slug}"),
        now=now,
        today=today or timezone.localdate(now),
        coordinator=users[Role.COORDINATOR],
    )
    # Its own random stream, so the matching history is the same whether it follows the rest of the seed
    # or comes later to a demo seeded before it existed.
    matching = Demo(
        rng=random.Random(f"iv-demo-{slug}-matching"),
        now=now,
        today=demo.today,
        coordinator=demo.coordinator,
    )
    if Activity.objects.exists() or Household.objects.exists() or Person.objects.exists():
        if not Person.objects.exists() or _has_matching_data():
            return False
        _matching_and_pathways(matching)
        return True
    short_town = town.split()[0]
    partners = _partners(short_town)
    _people(demo)
    activities = _activities(demo, users, partners, short_town)
    _registrations_and_attendance(demo, activities)
    _projects(demo, activities, short_town, county)
    _matching_and_pathways(matching)
    return True


def _partners(town: str) -> dict[str, Partner]:
    specs = {
        "club": (f"{town} IF Ungdom", PartnerKind.CLUB, "Anders Berg", "Ungdomsansvarig"),
        "church": (f"{town} församling", PartnerKind.CHURCH, "Karin Ek", "Diakon"),
        "sv": (
            "Studieförbundet Vuxenskolan",
            PartnerKind.STUDY_ASSOCIATION,
            "Maria Lind",
            "Verksamhetsutvecklare",
        ),
        "employer": (f"{town} Verktyg AB", PartnerKind.EMPLOYER, "Johan Ström", "HR-chef"),
        "municipality": (
            f"Integrationsenheten, {town} kommun",
            PartnerKind.MUNICIPAL_UNIT,
            "Sara Nyberg",
            "Integrationssamordnare",
        ),
    }
    partners = {key: Partner(name=name, kind=kind) for key, (name, kind, _, _) in specs.items()}
    Partner.objects.bulk_create(partners.values())
    PartnerContact.objects.bulk_create(
        PartnerContact(
            partner=partners[key],
            name=contact,
            title=title,
            email=f"{_ascii(contact).replace('.', '')}@example.org",
            phone=f"0370-{100000 + index * 7919 % 900000}",
        )
        for index, (key, (_, _, contact, title)) in enumerate(specs.items())
    )
    return partners


def _phone(rng: random.Random) -> str:
    return f"07{rng.choice('02369')}-{rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}"


def _people(demo: Demo) -> None:
    """Families (newcomers and established Swedes) and some single adults, with consents."""
    rng = demo.rng
    households: list[Household] = []
    members: list[tuple[int | None, Person]] = []  # (household index, person)
    for index in range(rng.randint(48, 64)):
        newcomer = rng.random() < 0.62
        language = rng.choice(NEWCOMER_LANGUAGES) if newcomer else "sv"
        surname = rng.choice(NAMES[language][0])
        district = rng.choice(DISTRICTS)
        households.append(Household(name=f"Familjen {surname}", district=district))
        arrival = rng.randint(*ARRIVAL_YEARS[language]) if newcomer else None
        family = _Family(surname, language, newcomer, district)
        members += [(index, person) for person in _household_members(demo, family, arrival)]
    # Single adults: newcomers who came alone and established Swedes who volunteer or join the café.
    for _single in range(rng.randint(10, 16)):
        members.append((None, _single_adult(demo)))

    Household.objects.bulk_create(households)
    for household_index, person in members:
        person.household = households[household_index] if household_index is not None else None
    # One family lives with protected identity: it must never show in volunteers' lists.
    for household_index, person in members:
        if household_index == 3:
            person.protected_identity = True
    people = [person for _, person in members]
    Person.objects.bulk_create(people)
    demo.people = people
    _consents(demo, people)


def _household_members(demo: Demo, family: _Family, arrival: int | None) -> list[Person]:
    """One or two parents and one to four children."""
    rng = demo.rng
    year = demo.today.year
    _surnames, women, men = NAMES[family.language]
    members: list[Person] = []
    adults = [Gender.WOMAN, Gender.MAN] if rng.random() < 0.7 else [rng.choice([Gender.WOMAN, Gender.MAN])]
    parent_birth = rng.randint(year - 52, year - 27)
    for gender in adults:
        first = rng.choice(women if gender == Gender.WOMAN else men)
        members.append(
            _person(
                demo,
                family,
                first=first,
                gender=gender,
                birth_year=parent_birth + rng.randint(-3, 3),
                arrival=arrival,
                adult=True,
            )
        )
    for _child in range(rng.choice([1, 1, 2, 2, 2, 3, 3, 4])):
        gender = rng.choice([Gender.WOMAN, Gender.MAN])
        first = rng.choice(women if gender == Gender.WOMAN else men)
        birth = rng.randint(max(parent_birth + 20, year - 18), year - 3)
        members.append(
            _person(
                demo,
                family,
                first=first,
                gender=gender,
                birth_year=birth,
                arrival=arrival if arrival and arrival > birth else None,
                adult=False,
            )
        )
    return members


def _single_adult(demo: Demo) -> Person:
    rng = demo.rng
    year = demo.today.year
    newcomer = rng.random() < 0.55
    language = rng.choice(NEWCOMER_LANGUAGES) if newcomer else "sv"
    surnames, women, men = NAMES[language]
    gender = rng.choice([Gender.WOMAN, Gender.MAN, Gender.WOMAN, Gender.MAN, Gender.OTHER])
    first = rng.choice(women if gender == Gender.WOMAN else men)
    birth = rng.randint(year - 75, year - 19)
    surname = rng.choice(surnames)  # drawn in this order: the seed gives the same people
    arrival = rng.randint(*ARRIVAL_YEARS[language]) if newcomer else None
    family = _Family(surname, language, newcomer, rng.choice(DISTRICTS))
    person = _person(demo, family, first=first, gender=gender, birth_year=birth, arrival=arrival, adult=True)
    person.is_volunteer = not newcomer and rng.random() < 0.5
    return person


@dataclass(frozen=True)
class _Family:
    """What the people of one household (or a single adult) share."""

    surname: str
    language: str
    newcomer: bool
    district: str


def _person(
    demo: Demo, family: _Family, *, first: str, gender: str, birth_year: int, arrival: int | None, adult: bool
) -> Person:
    rng = demo.rng
    last, language, newcomer, district = family.surname, family.language, family.newcomer, family.district
    languages = (
        [language]
        if language == "sv"
        else [language, "sv"]
        if not adult or rng.random() < 0.6
        else [language]
    )
    if adult and rng.random() < 0.4:
        languages.append("en")
    has_mail = adult and rng.random() < 0.7
    return Person(
        first_name=first,
        last_name=last,
        birth_year=birth_year,
        gender=gender,
        group=PersonGroup.NEWCOMER if newcomer else PersonGroup.ESTABLISHED,
        arrival_year=arrival,
        languages=languages,
        interests=rng.sample(INTERESTS, k=rng.randint(0, 2)),
        phone=_phone(rng) if adult and rng.random() < 0.9 else "",
        email=f"{_ascii(first)}.{_ascii(last)}{rng.randint(1, 99)}@example.com" if has_mail else "",
        district=district,
        household_role=HouseholdRole.ADULT if adult else HouseholdRole.CHILD,
        created_by=demo.coordinator,
    )


def _consents(demo: Demo, people: list[Person]) -> None:
    rng = demo.rng
    consents = []
    guardians = {p.household_id: p.full_name for p in people if p.household_role == HouseholdRole.ADULT}
    for person in people:
        child = person.birth_year is not None and demo.today.year - person.birth_year < 13
        guardian = guardians.get(person.household_id, "") if child else ""
        for purpose, chance in (
            (ConsentPurpose.STATISTICS, 0.97),
            (ConsentPurpose.CONTACT, 0.8),
            (ConsentPurpose.PHOTOS, 0.5),
        ):
            consents.append(
                Consent(
                    person=person,
                    purpose=purpose,
                    given=rng.random() < chance,
                    recorded_by=demo.coordinator,
                    given_by_guardian=bool(guardian),
                    guardian_name=guardian,
                )
            )
    Consent.objects.bulk_create(consents)


@dataclass(frozen=True)
class DemoActivity:
    key: str
    title: str
    category: str
    arena: str
    audience: str
    place: str
    partner: str
    leaders: tuple[str, ...]
    weekdays: tuple[int, ...]
    start: dt.time
    end: dt.time
    capacity: int | None
    languages: tuple[str, ...]
    description: str
    weeks_back: int = 52  # how long ago it started
    often: tuple[float, ...] = (0.9, 0.85, 0.8, 0.7, 0.6, 0.45)  # how often its people come


# The meeting places of every demo municipality; ``{town}`` in a place is the municipality's name.
ACTIVITY_SPECS = (
    DemoActivity(
        "cafe",
        "Språkcafé",
        ActivityCategory.LANGUAGE_CAFE,
        Arena.COMMUNITY_LIFE,
        Audience.ADULTS,
        "{town} bibliotek",
        "church",
        ("coordinator",),
        (1,),
        dt.time(17, 30),
        dt.time(19, 30),
        None,
        ("sv", "ar", "fa", "ti", "so", "uk"),
        "Fika och samtal på svenska i lugnt tempo. Alla nivåer är välkomna.",
    ),
    DemoActivity(
        "family",
        "Familjesöndag",
        ActivityCategory.FAMILY,
        Arena.COMMUNITY_LIFE,
        Audience.FAMILIES,
        "Församlingshemmet",
        "church",
        ("admin", "coordinator"),
        (6,),
        dt.time(13),
        dt.time(16),
        None,
        ("sv", "ar", "uk"),
        "Lekar, pyssel och gemensam måltid för hela familjen varannan söndag.",
    ),
    DemoActivity(
        "football",
        "Ungdomsfotboll",
        ActivityCategory.SPORT,
        Arena.CLUB_LIFE,
        Audience.YOUTH,
        "Idrottsplatsen, konstgräset",
        "club",
        ("volunteer",),
        (1, 3),
        dt.time(18),
        dt.time(19, 30),
        24,
        ("sv", "ar", "so", "ti"),
        "Träning för ungdomar 10–17 år tillsammans med föreningens ledare.",
    ),
    DemoActivity(
        "jobs",
        "Jobbklubben",
        ActivityCategory.JOB_CLUB,
        Arena.WORKING_LIFE,
        Audience.ADULTS,
        "Medborgarkontoret",
        "municipality",
        ("coordinator",),
        (3,),
        dt.time(9, 30),
        dt.time(11, 30),
        15,
        ("sv", "ar", "prs", "en"),
        "CV, intervjuträning och studiebesök hos arbetsgivare.",
    ),
    DemoActivity(
        "homework",
        "Läxhjälp",
        ActivityCategory.HOMEWORK_HELP,
        Arena.GENERAL,
        Audience.CHILDREN,
        "Skolans matsal",
        "sv",
        ("volunteer",),
        (0,),
        dt.time(15, 30),
        dt.time(17),
        None,
        ("sv", "ar", "so"),
        "Hjälp med läxorna för barn i årskurs 1–9.",
    ),
    # A new meeting place that has not found its people yet: it shows on the follow-up page.
    DemoActivity(
        "sewing",
        "Syträff",
        ActivityCategory.CULTURE,
        Arena.COMMUNITY_LIFE,
        Audience.ADULTS,
        "Församlingshemmet",
        "church",
        ("coordinator",),
        (2,),
        dt.time(14),
        dt.time(16),
        8,
        ("sv", "ti", "uk"),
        "Vi syr, lagar och pratar svenska över en kopp kaffe.",
        weeks_back=16,
        often=(0.6, 0.5, 0.4),
    ),
)


def _activity_specs(town: str) -> list[DemoActivity]:
    return [replace(spec, place=spec.place.format(town=town)) for spec in ACTIVITY_SPECS]


def _activities(
    demo: Demo, users: dict[str, User], partners: dict[str, Partner], town: str
) -> dict[str, Activity]:
    last = demo.today + dt.timedelta(weeks=6)
    activities = {}
    for spec in _activity_specs(town):
        first = demo.today - dt.timedelta(days=7 * spec.weeks_back - 1)
        demo.often[spec.key] = spec.often
        leaders = [users[role] for role in spec.leaders if role in users]
        demo.leaders[spec.key] = leaders
        if spec.key == "family":
            # Every other Sunday, as single dates: the church hall is not free every week.
            sunday = first + dt.timedelta(days=(6 - first.weekday()) % 7)
            dates = tuple(sunday + dt.timedelta(weeks=2 * n) for n in range((last - sunday).days // 14 + 1))
            schedule = Schedule(
                kind=ScheduleKind.SINGLE, start_time=spec.start, end_time=spec.end, dates=dates
            )
        else:
            schedule = Schedule(
                kind=ScheduleKind.WEEKLY,
                weekdays=spec.weekdays,
                start_time=spec.start,
                end_time=spec.end,
                starts_on=first,
                ends_on=last,
            )
        activities[spec.key] = activity_create(
            actor=demo.coordinator,
            data=ActivityData(
                title=spec.title,
                category=spec.category,
                arena=spec.arena,
                audience=spec.audience,
                description=spec.description,
                partner=partners[spec.partner],
                place=spec.place,
                leaders=leaders,
                capacity=spec.capacity,
                languages=spec.languages,
                schedule=schedule,
            ),
        )
    _summer_break(demo, activities)
    return activities


def _summer_break(demo: Demo, activities: dict[str, Activity]) -> None:
    """Homework help and the job club rest in July; a few other sessions were called off."""
    resting = Session.objects.filter(
        activity__in=[activities["homework"], activities["jobs"]], starts_at__month=7
    )
    resting.update(status=SessionStatus.CANCELLED, cancel_reason="Sommaruppehåll")
    past = list(
        Session.objects.filter(
            activity__in=activities.values(), starts_at__lt=demo.now, status=SessionStatus.SCHEDULED
        )
        .order_by("starts_at", "id")
        .values_list("pk", flat=True)
    )
    called_off = demo.rng.sample(past, k=min(4, len(past)))
    reasons = ["Ledaren sjuk", "Lokalen upptagen", "Snöoväder", "Sportlov"]
    for pk, reason in zip(called_off, reasons, strict=False):
        Session.objects.filter(pk=pk).update(status=SessionStatus.CANCELLED, cancel_reason=reason)


def _age(demo: Demo, person: Person) -> int:
    return demo.today.year - (person.birth_year or demo.today.year - 30)


def _participants(demo: Demo) -> dict[str, list[Person]]:
    rng = demo.rng
    people = demo.people
    youth = [p for p in people if 10 <= _age(demo, p) <= 17]
    children = [p for p in people if 7 <= _age(demo, p) <= 15]
    adults = [p for p in people if _age(demo, p) >= 18]
    newcomer_adults = [p for p in adults if p.group == PersonGroup.NEWCOMER and _age(demo, p) <= 62]
    family_households = sorted({p.household_id for p in people if p.household_id})
    chosen_households = set(rng.sample(family_households, k=min(14, len(family_households))))
    return {
        "football": rng.sample(youth, k=min(27, len(youth))),
        "homework": rng.sample(children, k=min(16, len(children))),
        "cafe": rng.sample(adults, k=min(26, len(adults))),
        "jobs": rng.sample(newcomer_adults, k=min(17, len(newcomer_adults))),
        "family": [p for p in people if p.household_id in chosen_households],
        "sewing": rng.sample(adults, k=min(4, len(adults))),
    }


# (activity key, person id) → (joined, stopped coming, how often they come)
Habits = dict[tuple[str, int], tuple[dt.datetime, dt.datetime | None, float]]


def _registrations_and_attendance(demo: Demo, activities: dict[str, Activity]) -> None:
    registrations, habits = _registrations(demo, activities)
    _attendance(demo, activities, registrations, habits)


def _registrations(demo: Demo, activities: dict[str, Activity]) -> tuple[list[Registration], Habits]:
    rng = demo.rng
    year_ago = demo.now - dt.timedelta(days=364)
    registrations: list[Registration] = []
    joined_order: list[dt.datetime] = []
    habits: Habits = {}
    for key, people in _participants(demo).items():
        activity = activities[key]
        # Nobody joined before the activity began.
        opened = max(year_ago, _local(activity.starts_on or demo.today, 8) - dt.timedelta(days=7))
        span = max((demo.now - opened).days - 10, 1)
        joined_at = sorted(
            opened + dt.timedelta(days=rng.choice([0, 0, 0, rng.randint(1, span)]), hours=rng.randint(0, 10))
            for _ in people
        )
        seats = activity.capacity
        for person, joined in zip(people, joined_at, strict=True):
            taken = sum(
                1
                for r in registrations
                if r.activity is activity and r.status == RegistrationStatus.REGISTERED
            )
            status = (
                RegistrationStatus.REGISTERED
                if seats is None or taken < seats
                else RegistrationStatus.WAITLISTED
            )
            registration = Registration(
                activity=activity, person=person, status=status, registered_by=demo.coordinator
            )
            registrations.append(registration)
            joined_order.append(joined)
            # Most come often; some now and then; a few stopped coming some weeks ago.
            stopped = demo.now - dt.timedelta(days=rng.randint(25, 120)) if rng.random() < 0.1 else None
            habits[(key, person.pk)] = (joined, stopped, rng.choice(demo.often[key]))
    Registration.objects.bulk_create(registrations)
    _backdate_registrations(demo, registrations, joined_order)
    return registrations, habits


def _backdate_registrations(
    demo: Demo, registrations: list[Registration], joined_order: list[dt.datetime]
) -> None:
    """created_at is filled in on insert: set the real dates afterwards. A person was registered in the
    network a little before their first activity; people in no activity came at any time of the year."""
    rng = demo.rng
    first_joined: dict[int, dt.datetime] = {}
    for registration, joined in zip(registrations, joined_order, strict=True):
        registration.created_at = joined
        first_joined[registration.person_id] = min(joined, first_joined.get(registration.person_id, joined))
    Registration.objects.bulk_update(registrations, ["created_at"])
    for person in demo.people:
        first = first_joined.get(person.pk)
        person.created_at = (
            first - dt.timedelta(days=rng.randint(0, 14), hours=rng.randint(0, 8))
            if first
            else demo.now - dt.timedelta(days=rng.randint(0, 380), hours=rng.randint(0, 8))
        )
    Person.objects.bulk_update(demo.people, ["created_at"])


def _attendance(
    demo: Demo, activities: dict[str, Activity], registrations: list[Registration], habits: Habits
) -> None:
    sessions = Session.objects.filter(
        activity__in=activities.values(), starts_at__lt=demo.now, status=SessionStatus.SCHEDULED
    ).order_by("starts_at")
    by_activity: dict[int, list[Registration]] = {}
    for registration in registrations:
        if registration.status == RegistrationStatus.REGISTERED:
            by_activity.setdefault(registration.activity_id, []).append(registration)
    walk_in_pool = [p for p in demo.people if _age(demo, p) >= 18 and not p.protected_identity]
    attendances: list[Attendance] = []
    hours: list[VolunteerHours] = []
    keys = {activity.pk: key for key, activity in activities.items()}
    for session in sessions:
        key = keys[session.activity_id]
        registered = by_activity.get(session.activity_id, [])
        attendances += _session_attendance(
            demo, session, key=key, registered=registered, habits=habits, walk_in_pool=walk_in_pool
        )
        hours += _session_hours(demo, session, key=key)
    Attendance.objects.bulk_create(attendances, batch_size=2000)
    VolunteerHours.objects.bulk_create(hours, batch_size=2000)
    _a_few_corrections(demo, attendances)


def _session_attendance(
    demo: Demo,
    session: Session,
    *,
    key: str,
    registered: list[Registration],
    habits: Habits,
    walk_in_pool: list[Person],
) -> list[Attendance]:
    """Who came to one session: the registered by their habits, and at the café a walk-in or two."""
    rng = demo.rng
    leader = demo.leaders[key][0] if demo.leaders[key] else None
    attendances: list[Attendance] = []
    marked: set[int] = set()
    for registration in registered:
        joined, stopped, often = habits[(key, registration.person_id)]
        if session.starts_at < joined:
            continue
        if stopped is not None and session.starts_at > stopped:
            mark = AttendanceStatus.ABSENT
        elif rng.random() < often:
            mark = AttendanceStatus.PRESENT
        else:
            mark = AttendanceStatus.EXCUSED if rng.random() < 0.35 else AttendanceStatus.ABSENT
        attendances.append(
            Attendance(session=session, person_id=registration.person_id, status=mark, recorded_by=leader)
        )
        marked.add(registration.person_id)
    if key == "cafe":
        for person in rng.sample(walk_in_pool, k=rng.choice([0, 0, 1, 1, 2])):
            if person.pk not in marked:
                attendances.append(
                    Attendance(
                        session=session,
                        person=person,
                        status=AttendanceStatus.PRESENT,
                        is_walk_in=True,
                        recorded_by=leader,
                    )
                )
                marked.add(person.pk)
    return attendances


def _session_hours(demo: Demo, session: Session, *, key: str) -> list[VolunteerHours]:
    """The time the session's leaders logged for it: most of them log it, a little more than the session."""
    rng = demo.rng
    minutes = int((session.ends_at - session.starts_at).total_seconds() // 60)
    hours: list[VolunteerHours] = []
    for user in demo.leaders[key]:
        if rng.random() < 0.85:
            hours.append(
                VolunteerHours(
                    user=user,
                    activity_id=session.activity_id,
                    session=session,
                    date=timezone.localdate(session.starts_at),
                    minutes=minutes + rng.choice([0, 15, 30, 30, 45]),
                )
            )
    return hours


def _a_few_corrections(demo: Demo, attendances: list[Attendance]) -> None:
    """Some marks were corrected afterwards (a parent called: the child was ill), so history shows."""
    absent = [a for a in attendances if a.status == AttendanceStatus.ABSENT]
    corrected = demo.rng.sample(absent, k=min(6, len(absent)))
    for attendance in corrected:
        attendance.status = AttendanceStatus.EXCUSED
    Attendance.objects.bulk_update(corrected, ["status"])
    AttendanceChange.objects.bulk_create(
        AttendanceChange(
            attendance=a,
            changed_by=demo.coordinator,
            before=AttendanceStatus.ABSENT,
            after=AttendanceStatus.EXCUSED,
        )
        for a in corrected
    )


def _projects(demo: Demo, activities: dict[str, Activity], town: str, county: str) -> None:
    today = demo.today
    start = dt.date(today.year - 1, 1, 1)
    arvsfonden = Project.objects.create(
        name=f"Tillsammans i {town}",
        funder_kind=FunderKind.ARVSFONDEN,
        funder_name="Allmänna Arvsfonden",
        description="Treårigt projekt för mötesplatser där barn och unga, nyanlända och etablerade, möts.",
        starts_on=start,
        ends_on=dt.date(start.year + 2, 12, 31),
        budget_sek=Decimal(2_400_000),
    )
    arvsfonden.activities.set([activities["football"], activities["family"], activities["homework"]])
    region_name = {"Jönköpings län": "Region Jönköpings län", "Kronobergs län": "Region Kronoberg"}.get(
        county, "Regionen"
    )
    region = Project.objects.create(
        name="Vägar till arbete",
        funder_kind=FunderKind.REGION,
        funder_name=region_name,
        description="Jobbklubb och språkträning för vuxna nyanlända, med arbetsgivare i kommunen.",
        starts_on=today.replace(day=1) - dt.timedelta(days=240),
        ends_on=today.replace(day=1) + dt.timedelta(days=250),
        budget_sek=Decimal(450_000),
    )
    region.activities.set([activities["jobs"], activities["cafe"]])
    ReportingDate.objects.bulk_create(
        [
            ReportingDate(
                project=arvsfonden,
                due_on=today + dt.timedelta(days=45),
                description="Lägesrapport med deltagarstatistik",
            ),
            ReportingDate(
                project=arvsfonden,
                due_on=today - dt.timedelta(days=320),
                description="Startrapport",
                done=True,
            ),
            ReportingDate(
                project=arvsfonden,
                due_on=dt.date(start.year + 3, 3, 31),
                description="Slutrapport och ekonomisk redovisning",
            ),
            ReportingDate(
                project=region,
                due_on=today + dt.timedelta(days=18),
                description="Halvårsrapport till regionen",
            ),
            ReportingDate(
                project=region, due_on=region.ends_on + dt.timedelta(days=60), description="Slutredovisning"
            ),
        ]
    )


# --- Friend matching and pathways (lotsning) --------------------------------------------------------------
# A year of the network's core method, written through the matching and pathway services: ended matches
# with their reasons, a dozen active ones started month by month (first meetings, contacts, check-ins; two
# gone quiet, for the follow-up list), a few proposed, and a waiting list on which a newcomer family has
# good, explainable suggestions. Pathways lead children into the club, adults into community life and
# job-seekers into working life, at every stage. Families with protected identity (no sharing consent) are
# never introduced to anyone, and someone who said no to being matched is left alone.

NEIGHBOURING_DISTRICTS = (("Centrum", "Stationsområdet"), ("Norr", "Öster"), ("Söder", "Väster"))
MEETING_PLACES = (
    "Språkcaféet på biblioteket",
    "Fika på Stadsparkens kafé",
    "Hemma hos den etablerade familjen",
    "Lekplatsen vid simhallen",
    "Familjesöndagen i församlingshemmet",
)
CONTACT_NOTES = {
    ContactKind.MET: (
        "Fikade hemma hos varandra.",
        "Promenad och lekplats med barnen.",
        "Åt middag tillsammans.",
        "Träffades på biblioteket och pratade svenska.",
    ),
    ContactKind.PHONED: (
        "Pratade om skolan och planerade nästa träff.",
        "Hjälp att läsa ett brev från Försäkringskassan.",
        "Ringde och bestämde en ny tid.",
    ),
    ContactKind.ACTIVITY: (
        "Gick på Familjesöndagen tillsammans.",
        "Språkcafé tillsammans.",
        "Tittade på en fotbollsmatch på idrottsplatsen.",
    ),
}
CHECK_IN_NOTES = {
    1: (
        "Bra start: de har träffats två gånger och barnen leker bra ihop.",
        "Lite trevande, men båda vill fortsätta.",
    ),
    3: ("Träffas ungefär varannan vecka, ofta på helgerna.", "Har hittat en rytm med telefon och fika."),
    6: (
        "Vänskapen har hittat sin form och behöver inte mycket stöd.",
        "Träffas mer sällan, men hörs regelbundet.",
    ),
}
REQUEST_NOTES = {
    MatchKind.FRIEND_FAMILY: (
        "Vill gärna lära känna en familj med barn i samma ålder.",
        "Vill träffas på helgerna, gärna ute i naturen.",
        "",
    ),
    MatchKind.LANGUAGE_FRIEND: ("Vill öva svenska i vardagen.", "Läser SFI och vill prata mer svenska.", ""),
    MatchKind.ACTIVITY_BUDDY: ("Vill ha en kompis att gå till träningen med.", ""),
}


@dataclass
class Side:
    """One side of a match: a family (its contact adult asks for all of them) or one person."""

    person: Person
    household: Household | None
    languages: list[str]
    interests: list[str]
    children: list[int]  # birth years
    district: str

    def profile(self, today: dt.date) -> Profile:
        return Profile(self.languages, self.interests, self.children, self.district, (), (), "", today)


@dataclass
class MatchingDemo:
    demo: Demo
    requests: list[tuple[MatchRequest, dt.date]] = field(default_factory=list)  # with the day it was made
    first_meetings: list[Match] = field(default_factory=list)


def _has_matching_data() -> bool:
    return MatchRequest.objects.exists() or Match.objects.exists() or Pathway.objects.exists()


def _matching_and_pathways(demo: Demo) -> None:
    if not demo.people:
        demo.people = list(Person.objects.filter(erased_at__isnull=True).order_by("pk"))
    state = MatchingDemo(demo)
    for district, neighbour in NEIGHBOURING_DISTRICTS:
        district_neighbour_add(actor=demo.coordinator, district=district, neighbour=neighbour)
    registered = {
        key: set(
            Registration.objects.filter(
                status=RegistrationStatus.REGISTERED, activity__category=category
            ).values_list("person_id", flat=True)
        )
        for key, category in (
            ("football", ActivityCategory.SPORT),
            ("cafe", ActivityCategory.LANGUAGE_CAFE),
            ("jobs", ActivityCategory.JOB_CLUB),
        )
    }
    opted_out = _opt_out(demo)
    families, singles = _sides(demo, exclude={opted_out} if opted_out else set())
    family_matches = _family_matching(state, families)
    _language_friends(state, singles)
    _activity_buddies(state, registered["football"])
    _backdate(state)
    _pathways(demo, family_matches, registered)


def _opt_out(demo: Demo) -> int | None:
    """One established single adult said no to being matched: they come to the café, and that is enough."""
    candidates = [
        p
        for p in demo.people
        if p.household_id is None and p.group == PersonGroup.ESTABLISHED and not p.protected_identity
    ]
    if not candidates:
        return None
    person = demo.rng.choice(candidates)
    matching_opt_out_record(
        actor=demo.coordinator,
        person=person,
        opted_out=True,
        note="Vill inte bli matchad, men kommer gärna till språkcaféet.",
    )
    MatchingOptOut.objects.filter(person=person).update(
        recorded_at=_local(demo.today - dt.timedelta(days=demo.rng.randint(60, 200)), 10)
    )
    return person.pk


def _sides(demo: Demo, *, exclude: set[int]) -> tuple[dict[str, list[Side]], dict[str, list[Side]]]:
    """Families and single adults who may be matched, by group, in a shuffled but repeatable order."""
    by_household: dict[int, list[Person]] = {}
    for person in demo.people:
        if person.household_id is not None:
            by_household.setdefault(person.household_id, []).append(person)
    households = Household.objects.in_bulk(list(by_household))
    families: dict[str, list[Side]] = {PersonGroup.NEWCOMER: [], PersonGroup.ESTABLISHED: []}
    singles: dict[str, list[Side]] = {PersonGroup.NEWCOMER: [], PersonGroup.ESTABLISHED: []}
    for household_id in sorted(by_household):
        members = by_household[household_id]
        # Protected identity (the demo records no sharing consent): the family is never introduced to anyone.
        if any(member.protected_identity or member.pk in exclude for member in members):
            continue
        adults = [member for member in members if member.household_role == HouseholdRole.ADULT]
        if not adults:
            continue
        contact = max(adults, key=lambda adult: (len(adult.languages), -adult.pk))
        household = households[household_id]
        families[contact.group].append(
            Side(
                person=contact,
                household=household,
                languages=sorted({code for adult in adults for code in adult.languages}),
                interests=sorted({word for adult in adults for word in adult.interests}),
                children=sorted(
                    member.birth_year
                    for member in members
                    if member.household_role == HouseholdRole.CHILD and member.birth_year
                ),
                district=household.district,
            )
        )
    for person in demo.people:
        if (
            person.household_id is None
            and not person.protected_identity
            and person.pk not in exclude
            and _age(demo, person) >= 18
        ):
            singles[person.group].append(_person_side(person))
    for sides in (*families.values(), *singles.values()):
        demo.rng.shuffle(sides)
    return families, singles


def _protected_households(demo: Demo) -> set[int]:
    """Families in which someone has protected identity (and, in the demo, no sharing consent)."""
    return {p.household_id for p in demo.people if p.protected_identity and p.household_id is not None}


def _person_side(person: Person) -> Side:
    return Side(person, None, list(person.languages), list(person.interests), [], person.district)


def _fit(demo: Demo, one: Side, other: Side) -> int:
    """How well two sides fit, by the same scoring the coordinator's suggestions use."""
    near = frozenset(
        b.lower() if a.lower() == one.district.lower() else a.lower()
        for a, b in NEIGHBOURING_DISTRICTS
        if one.district.lower() in (a.lower(), b.lower())
    )
    reasons = score_reasons(
        one.profile(demo.today), other.profile(demo.today), near_districts=near, today=demo.today
    )
    return sum(reason.points for reason in reasons)


def _best(demo: Demo, side: Side, pool: list[Side], *, gender: str | None = None) -> Side | None:
    """Take the side from ``pool`` that fits ``side`` best (ties: the earlier one)."""
    allowed = [other for other in pool if gender is None or other.person.gender == gender]
    if not allowed:
        return None
    best = max(allowed, key=lambda other: _fit(demo, side, other))
    pool.remove(best)
    return best


def _availability(demo: Demo, kind: str) -> list[str]:
    # Every side shares one time of the week with its kind's usual one, so pairs can always be proposed.
    usual = Availability.WEEKENDS if kind == MatchKind.FRIEND_FAMILY else Availability.EVENINGS
    extra = demo.rng.choice([None, None, Availability.WEEKDAYS, Availability.EVENINGS, Availability.WEEKENDS])
    return [usual] if extra is None or extra == usual else [usual, extra]


def _request(
    state: MatchingDemo, side: Side, kind: str, since: dt.date, preferences: tuple[str, ...] = ()
) -> MatchRequest:
    demo = state.demo
    request = match_request_create(
        person=side.person,
        kind=kind,
        household=side.household,
        interests=side.interests,
        availability=_availability(demo, kind),
        preferences=preferences,
        note=demo.rng.choice(REQUEST_NOTES[MatchKind(kind)]),
        actor=demo.coordinator,
        today=demo.today,
    )
    state.requests.append((request, max(since, demo.today - dt.timedelta(days=364))))
    return request


@dataclass(frozen=True)
class Story:
    """How one match went, in days before today. ``started`` None: never started (proposed or declined)."""

    proposed: int
    started: int | None = None
    ended: int | None = None
    reason: str = ""
    note: str = ""
    quiet: bool = False  # no contact logged for the last 30+ days: the follow-up list shows the pair
    leave_due: int | None = None  # this check-in (months after the start) is due but not done yet
    meeting_in: int | None = None  # a proposal's first meeting, days ahead


FAMILY_ACTIVE = (
    Story(proposed=334, started=321),
    Story(proposed=275, started=262),
    Story(proposed=224, started=211, quiet=True),
    Story(proposed=161, started=150),
    Story(proposed=108, started=98, leave_due=3),
    Story(proposed=72, started=61),
    Story(proposed=33, started=24),
)
FAMILY_OTHERS = (
    Story(proposed=9, meeting_in=4),
    Story(proposed=3, meeting_in=11),
    Story(
        proposed=352,
        started=340,
        ended=150,
        reason=MatchEndReason.COMPLETED,
        note="Familjerna träffas vidare på egen hand.",
    ),
    Story(
        proposed=301,
        started=290,
        ended=171,
        reason=MatchEndReason.MOVED,
        note="Den nyanlända familjen flyttade till Jönköping för ett arbete.",
    ),
    # Declined before it started: both families went back on the waiting list, their waiting time kept.
    Story(
        proposed=75,
        ended=68,
        reason=MatchEndReason.DECLINED,
        note="Familjen ville vänta till efter sommaren.",
    ),
)
LANGUAGE_STORIES = (
    Story(proposed=290, started=280),
    Story(proposed=188, started=180),
    Story(proposed=130, started=121, quiet=True),
    Story(proposed=52, started=45),
    Story(
        proposed=250,
        started=240,
        ended=130,
        reason=MatchEndReason.NO_CONTACT,
        note="Hördes inte av efter jul.",
    ),
    Story(proposed=5, meeting_in=6),
)
BUDDY_STORY = Story(proposed=150, started=140)


def _story(state: MatchingDemo, newcomer: MatchRequest, established: MatchRequest, story: Story) -> Match:
    demo, rng, today = state.demo, state.demo.rng, state.demo.today
    proposed_on = today - dt.timedelta(days=story.proposed)
    match = match_propose(
        actor=demo.coordinator, match_request=newcomer, candidate=established, today=proposed_on
    )
    if story.started is None:
        if story.ended is not None:
            return match_end(
                actor=demo.coordinator,
                match=match,
                reason=story.reason,
                note=story.note,
                ended_on=today - dt.timedelta(days=story.ended),
            )
        if story.meeting_in is not None:
            match = match_first_meeting_book(
                actor=demo.coordinator,
                match=match,
                at=_local(today + dt.timedelta(days=story.meeting_in), rng.choice([10, 14, 17])),
                place=rng.choice(MEETING_PLACES),
            )
        return match
    started_on = today - dt.timedelta(days=story.started)
    # The first meeting was booked while it was still to come, which is all the service books: it is
    # dated afterwards (see _backdate), between the proposal and the start.
    met_on = proposed_on + dt.timedelta(days=rng.randint(1, (started_on - proposed_on).days))
    match.first_meeting_at = _local(met_on, rng.choice([10, 14, 17]))
    match.first_meeting_place = rng.choice(MEETING_PLACES)
    state.first_meetings.append(match)
    match = match_activate(actor=demo.coordinator, match=match, started_on=started_on)
    until = today - dt.timedelta(days=story.ended) if story.ended is not None else today
    quiet = story.quiet or story.reason == MatchEndReason.NO_CONTACT
    _contacts(state, match, started_on, until, quiet=quiet)
    _check_ins(state, match, until, story)
    if story.ended is not None:
        match = match_end(
            actor=demo.coordinator, match=match, reason=story.reason, note=story.note, ended_on=until
        )
    return match


def _contacts(state: MatchingDemo, match: Match, start: dt.date, until: dt.date, *, quiet: bool) -> None:
    demo, rng = state.demo, state.demo.rng
    stop = until - dt.timedelta(days=rng.randint(36, 55)) if quiet else until
    days = []
    day = start + dt.timedelta(days=rng.randint(2, 8))
    while day <= stop:
        days.append(day)
        # The contacts the coordinator hears of: about one a month (the pair meets more often).
        day += dt.timedelta(days=rng.randint(18, 40))
    # A pair that keeps meeting has been in touch within the last three weeks.
    if not quiet and (not days or (until - days[-1]).days > 20):
        day = until - dt.timedelta(days=rng.randint(1, 12))
        if day >= start and (not days or day > days[-1]):
            days.append(day)
    for day in days:
        kind = rng.choice([ContactKind.MET, ContactKind.MET, ContactKind.PHONED, ContactKind.ACTIVITY])
        match_contact_log(
            actor=demo.coordinator,
            match=match,
            kind=kind,
            happened_on=day,
            note=rng.choice(CONTACT_NOTES[kind]),
        )


def _check_ins(state: MatchingDemo, match: Match, until: dt.date, story: Story) -> None:
    demo, rng = state.demo, state.demo.rng
    due = [check_in for check_in in match.check_ins.order_by("months") if check_in.due_on <= until]
    for index, check_in in enumerate(due):
        # A quiet pair's latest check-in has not been done either: the coordinator cannot reach them.
        quiet_and_last = story.quiet and story.ended is None and index == len(due) - 1
        if check_in.months == story.leave_due or quiet_and_last:
            continue
        check_in_complete(
            actor=demo.coordinator,
            check_in=check_in,
            note=rng.choice(CHECK_IN_NOTES[check_in.months]),
            done_on=min(check_in.due_on + dt.timedelta(days=rng.randint(0, 6)), until),
        )


def _family_matching(state: MatchingDemo, families: dict[str, list[Side]]) -> list[Match]:
    """Friend families; returns the active matches, the longest running first."""
    demo, rng, today = state.demo, state.demo.rng, state.demo.today
    kind = MatchKind.FRIEND_FAMILY
    # Newcomer families in which someone speaks Swedish first: they can talk with any established family.
    newcomers = sorted(families[PersonGroup.NEWCOMER], key=lambda side: "sv" not in side.languages)
    established = families[PersonGroup.ESTABLISHED]

    # The waiting list is chosen first, so each waiting newcomer family has an established family that
    # fits it well among its suggestions; one more established family waits for whoever comes next.
    waiting: list[tuple[Side, int, tuple[str, ...]]] = []
    for days, preferences in ((16, (MatchPreference.WITH_CHILDREN,)), (45, ())):
        if not newcomers:
            break
        family = newcomers.pop(0)
        waiting.append((family, days, preferences))
        fitting = _best(demo, family, established)
        if fitting is not None:
            waiting.append((fitting, rng.randint(30, 130), ()))
    if established:
        waiting.append((established.pop(), rng.randint(60, 200), ()))

    active = []
    for index, story in enumerate((*FAMILY_ACTIVE, *FAMILY_OTHERS)):
        if not newcomers:
            break
        family = newcomers.pop(0)
        partner = _best(demo, family, established)
        if partner is None:
            break
        proposed_on = today - dt.timedelta(days=story.proposed)
        preferences = (MatchPreference.WITH_CHILDREN,) if rng.random() < 0.3 else ()
        newcomer_request = _request(
            state, family, kind, proposed_on - dt.timedelta(days=rng.randint(10, 70)), preferences
        )
        established_request = _request(
            state, partner, kind, proposed_on - dt.timedelta(days=rng.randint(5, 120))
        )
        match = _story(state, newcomer_request, established_request, story)
        if index < len(FAMILY_ACTIVE):
            active.append(match)
    for side, days, wishes in waiting:
        _request(state, side, kind, today - dt.timedelta(days=days), wishes)
    return active


def _language_friends(state: MatchingDemo, singles: dict[str, list[Side]]) -> None:
    """Language friends: newcomers who want to speak more Swedish, and established volunteers."""
    demo, rng, today = state.demo, state.demo.rng, state.demo.today
    kind = MatchKind.LANGUAGE_FRIEND
    newcomers = list(singles[PersonGroup.NEWCOMER])
    established = list(singles[PersonGroup.ESTABLISHED])
    # Single adults are few: adults of families that are not matched as a family ask for themselves too.
    asked = {request.household_id for request, _ in state.requests if request.household_id}
    hidden = _protected_households(demo)
    spare = [
        _person_side(person)
        for person in demo.people
        if person.household_id is not None
        and person.household_id not in asked | hidden
        and person.household_role == HouseholdRole.ADULT
    ]
    demo.rng.shuffle(spare)
    for side in spare:
        (newcomers if side.person.group == PersonGroup.NEWCOMER else established).append(side)
    for story in LANGUAGE_STORIES:
        if not newcomers:
            break
        newcomer = newcomers.pop(0)
        # Some newcomer women ask for a woman; the rules then never pair them otherwise.
        same_gender = newcomer.person.gender == Gender.WOMAN and rng.random() < 0.5
        partner = _best(demo, newcomer, established, gender=newcomer.person.gender if same_gender else None)
        if partner is None:
            continue
        proposed_on = today - dt.timedelta(days=story.proposed)
        request = _request(
            state,
            newcomer,
            kind,
            proposed_on - dt.timedelta(days=rng.randint(10, 60)),
            (MatchPreference.SAME_GENDER,) if same_gender else (),
        )
        other = _request(state, partner, kind, proposed_on - dt.timedelta(days=rng.randint(5, 90)))
        _story(state, request, other, story)
    for days, pool in ((10, newcomers), (60, newcomers), (35, established)):
        if pool:
            _request(state, pool.pop(0), kind, today - dt.timedelta(days=days))


def _activity_buddies(state: MatchingDemo, football: set[int]) -> None:
    """A newcomer teenager goes to youth football with an established one from the team."""
    demo, today = state.demo, state.demo.today
    kind = MatchKind.ACTIVITY_BUDDY
    hidden = _protected_households(demo)
    youth = [
        p
        for p in demo.people
        if 12 <= _age(demo, p) <= 17 and not p.protected_identity and p.household_id not in hidden
    ]
    newcomers = [_person_side(p) for p in youth if p.group == PersonGroup.NEWCOMER and p.pk not in football]
    established = [_person_side(p) for p in youth if p.group == PersonGroup.ESTABLISHED and p.pk in football]
    if newcomers and established:
        proposed_on = today - dt.timedelta(days=BUDDY_STORY.proposed)
        request = _request(state, newcomers.pop(0), kind, proposed_on - dt.timedelta(days=20))
        other = _request(state, established.pop(0), kind, proposed_on - dt.timedelta(days=40))
        _story(state, request, other, BUDDY_STORY)
    if newcomers:
        _request(state, newcomers.pop(0), kind, today - dt.timedelta(days=20))


def _backdate(state: MatchingDemo) -> None:
    """Dates the services set to "now" are moved to when things happened in the story."""
    demo = state.demo
    requests = []
    for request, since in state.requests:
        request.created_at = _local(since, 10)
        requests.append(request)
    MatchRequest.objects.bulk_update(requests, ["created_at"])
    Match.objects.bulk_update(state.first_meetings, ["first_meeting_at", "first_meeting_place"])
    # Each check-in that fell due was reminded by e-mail that morning (the seed sends none): the reminder
    # task finds nothing of the story left to send.
    reminded = list(CheckIn.objects.filter(due_on__lte=demo.today).exclude(status=CheckInStatus.CANCELLED))
    for check_in in reminded:
        check_in.reminded_at = _local(check_in.due_on, 7)
        check_in.reminded_to = demo.coordinator.email
    CheckIn.objects.bulk_update(reminded, ["reminded_at", "reminded_to"])


@dataclass(frozen=True)
class PathwaySpec:
    goal: str
    partner: str  # a PartnerKind, or "" when none is known yet (only at the interest stage)
    stage: str  # where the pathway is today
    result: str = ""  # the outcome when established, the reason when ended


CLUB_PATHWAYS = (
    PathwaySpec("Ungdomsfotboll", PartnerKind.CLUB, PathwayStage.ESTABLISHED, PathwayOutcome.CLUB_MEMBER),
    PathwaySpec("Ungdomsfotboll", PartnerKind.CLUB, PathwayStage.ESTABLISHED, PathwayOutcome.CLUB_MEMBER),
    PathwaySpec("Ungdomsfotboll", PartnerKind.CLUB, PathwayStage.STARTED),
    PathwaySpec("Ungdomsfotboll", PartnerKind.CLUB, PathwayStage.REFERRED),
    PathwaySpec("Ungdomsfotboll", PartnerKind.CLUB, PathwayStage.INTEREST),
    PathwaySpec("Innebandy", "", PathwayStage.INTEREST),
    PathwaySpec("Ungdomsfotboll", PartnerKind.CLUB, PathwayStage.ENDED, PathwayEndReason.LOST_INTEREST),
)
COMMUNITY_PATHWAYS = (
    PathwaySpec(
        "Volontär på språkcaféet", PartnerKind.CHURCH, PathwayStage.ESTABLISHED, PathwayOutcome.VOLUNTEERING
    ),
    PathwaySpec("Studiecirkel i svenska och samhälle", PartnerKind.STUDY_ASSOCIATION, PathwayStage.STARTED),
    PathwaySpec("Samhällsorientering", PartnerKind.MUNICIPAL_UNIT, PathwayStage.REFERRED),
    PathwaySpec("Studiecirkel i sömnad", "", PathwayStage.INTEREST),
    PathwaySpec(
        "Volontär på Familjesöndagen", PartnerKind.CHURCH, PathwayStage.ENDED, PathwayEndReason.MOVED
    ),
)
WORKING_PATHWAYS = (
    PathwaySpec("Anställning som montör", PartnerKind.EMPLOYER, PathwayStage.STARTED),  # the family's adult
    PathwaySpec("Anställning på lagret", PartnerKind.EMPLOYER, PathwayStage.ESTABLISHED, PathwayOutcome.JOB),
    PathwaySpec(
        "Praktik inom produktion", PartnerKind.EMPLOYER, PathwayStage.ESTABLISHED, PathwayOutcome.INTERNSHIP
    ),
    PathwaySpec("Vård- och omsorgsutbildning", PartnerKind.MUNICIPAL_UNIT, PathwayStage.REFERRED),
    PathwaySpec("Jobb som busschaufför", "", PathwayStage.INTEREST),
    PathwaySpec(
        "Jobb inom lokalvård", PartnerKind.MUNICIPAL_UNIT, PathwayStage.ENDED, PathwayEndReason.NO_CONTACT
    ),
)
STAGE_NOTES: dict[str, str] = {
    PathwayStage.REFERRED: "Kontakten förmedlad, första besöket bokat.",
    PathwayStage.STARTED: "Har varit där de första gångerna.",
    PathwayStage.ESTABLISHED: "Är med på riktigt nu.",
    PathwayStage.ENDED: "",
}


def _stage_path(rng: random.Random, spec: PathwaySpec) -> list[PathwayStage]:
    """The stages after interest, in order, that lead to ``spec.stage``."""
    after = [PathwayStage.REFERRED, PathwayStage.STARTED, PathwayStage.ESTABLISHED]
    if spec.stage == PathwayStage.INTEREST:
        return []
    if spec.stage == PathwayStage.ENDED:
        return [*after[: rng.randint(0, 2)], PathwayStage.ENDED]
    return after[: after.index(PathwayStage(spec.stage)) + 1]


def _pathway(
    demo: Demo,
    person: Person,
    arena: str,
    spec: PathwaySpec,
    partners: dict[str, Partner],
    *,
    between: tuple[int, int] | None = None,
    until: int = 0,
) -> Pathway:
    """One pathway through the services, begun ``between`` days ago (most, fewest), its stages reached
    week by week up to ``until`` days ago."""
    rng, today = demo.rng, demo.today
    stages = _stage_path(rng, spec)
    if between is None:
        between = (345, 40 * len(stages) + 14) if stages else (50, 3)
    most, fewest = between
    start = today - dt.timedelta(days=rng.randint(fewest, most))
    weeks = (today - dt.timedelta(days=until) - start).days // 7
    dates = [
        start + dt.timedelta(weeks=week) for week in sorted(rng.sample(range(1, weeks + 1), len(stages)))
    ]
    partner = partners.get(spec.partner)
    pathway = pathway_create(
        actor=demo.coordinator,
        person=person,
        arena=arena,
        goal=spec.goal,
        partner=partner,
        interest_on=start,
    )
    for stage, day in zip(stages, dates, strict=True):
        pathway = pathway_stage_change(
            actor=demo.coordinator,
            pathway=pathway,
            stage=stage,
            on=day,
            partner=partner,
            outcome=spec.result if stage == PathwayStage.ESTABLISHED else "",
            end_reason=spec.result if stage == PathwayStage.ENDED else "",
            note=STAGE_NOTES[stage],
        )
    return pathway


def _family_first(family_matches: list[Match], youth: list[Person], job_seekers: list[Person]) -> None:
    """Put the first matched newcomer family's child first among the youth, and a parent among job-seekers."""
    family_household = next(
        (
            match.newcomer_request.household_id
            for match in family_matches
            if any(p.household_id == match.newcomer_request.household_id for p in youth)
        ),
        None,
    )
    if family_household is not None:
        child = next(p for p in youth if p.household_id == family_household)
        youth.remove(child)
        youth.insert(0, child)
        parent = next(
            (p for p in job_seekers if p.household_id == family_household),
            None,
        )
        if parent is not None:
            job_seekers.remove(parent)
            job_seekers.insert(0, parent)


def _pathways(demo: Demo, family_matches: list[Match], registered: dict[str, set[int]]) -> None:
    """Lotsning: children and youth into the club, adults into community life, job-seekers into work.

    The first newcomer family with a friend family and a child of football age shows the family
    perspective: the child's pathway into youth football and a parent's into work, on one household page.
    """
    rng = demo.rng
    # The seed's own partner of each kind (the first one made, should there be more).
    partners = {partner.kind: partner for partner in Partner.objects.filter(is_active=True).order_by("-pk")}
    hidden = _protected_households(demo)
    people = [p for p in demo.people if not p.protected_identity and p.household_id not in hidden]
    youth = [p for p in people if 8 <= _age(demo, p) <= 17]
    adults = [p for p in people if p.group == PersonGroup.NEWCOMER and 20 <= _age(demo, p) <= 70]
    rng.shuffle(youth)
    rng.shuffle(adults)
    # Those who come to the activity nearest each arena are asked first.
    youth.sort(key=lambda p: p.pk not in registered["football"])
    community = sorted(adults, key=lambda p: p.pk not in registered["cafe"])
    job_seekers = sorted(
        [p for p in adults if _age(demo, p) <= 62], key=lambda p: p.pk not in registered["jobs"]
    )
    _family_first(family_matches, youth, job_seekers)

    used: set[int] = set()

    def take(pool: list[Person]) -> Person | None:
        while pool:
            person = pool.pop(0)
            if person.pk not in used:
                used.add(person.pk)
                return person
        return None

    for arena, specs, pool in (
        (Arena.CLUB_LIFE, CLUB_PATHWAYS, youth),
        (Arena.WORKING_LIFE, WORKING_PATHWAYS, job_seekers),
        (Arena.COMMUNITY_LIFE, COMMUNITY_PATHWAYS, community),
    ):
        for spec in specs:
            person = take(pool)
            if person is None:
                break
            _pathway(demo, person, arena, spec, partners)
    # A new try after a refusal is a new pathway: turned down for one internship, started another.
    person = take(job_seekers)
    if person is not None:
        refused = PathwaySpec(
            "Praktik på lager", PartnerKind.EMPLOYER, PathwayStage.ENDED, PathwayEndReason.NOT_ACCEPTED
        )
        ended = _pathway(demo, person, Arena.WORKING_LIFE, refused, partners, between=(340, 280), until=200)
        days_since = (demo.today - ended.stage_on).days
        retry = PathwaySpec("Praktik i butik", PartnerKind.MUNICIPAL_UNIT, PathwayStage.STARTED)
        _pathway(
            demo, person, Arena.WORKING_LIFE, retry, partners, between=(days_since - 14, days_since - 14)
        )
