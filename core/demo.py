"""A believable year of a local network, for the demo: families, partners, activities, sessions,
registrations, attendance, volunteer hours and projects.

Called by the demo seed (tenants/demo.py) inside each municipality's schema. It fills an empty network
only, so running the seed again duplicates nothing. A fixed random seed per municipality makes the data
the same on every run (relative to today's date: twelve months back, six weeks ahead). Rows are written
in bulk so a municipality takes well under a few seconds.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from core.models import (
    Activity,
    ActivityCategory,
    Arena,
    Attendance,
    AttendanceChange,
    AttendanceStatus,
    Audience,
    Consent,
    ConsentPurpose,
    FunderKind,
    Gender,
    Household,
    HouseholdRole,
    Partner,
    PartnerContact,
    PartnerKind,
    Person,
    PersonGroup,
    Project,
    Registration,
    RegistrationStatus,
    ReportingDate,
    ScheduleKind,
    Session,
    SessionStatus,
    VolunteerHours,
)
from core.services.activities import ActivityData, Schedule, activity_create

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
    """Fill an empty municipality with a believable year. Returns False (and does nothing) if it has data."""
    if Activity.objects.exists() or Household.objects.exists() or Person.objects.exists():
        return False
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
    short_town = town.split()[0]
    partners = _partners(short_town)
    _people(demo)
    activities = _activities(demo, users, partners, short_town)
    _registrations_and_attendance(demo, activities)
    _projects(demo, activities, short_town, county)
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
    year = demo.today.year
    households: list[Household] = []
    members: list[tuple[int | None, Person]] = []  # (household index, person)
    for index in range(rng.randint(48, 64)):
        newcomer = rng.random() < 0.62
        language = rng.choice(NEWCOMER_LANGUAGES) if newcomer else "sv"
        surnames, women, men = NAMES[language]
        surname = rng.choice(surnames)
        district = rng.choice(DISTRICTS)
        households.append(Household(name=f"Familjen {surname}", district=district))
        arrival = rng.randint(*ARRIVAL_YEARS[language]) if newcomer else None
        adults = (
            [Gender.WOMAN, Gender.MAN] if rng.random() < 0.7 else [rng.choice([Gender.WOMAN, Gender.MAN])]
        )
        parent_birth = rng.randint(year - 52, year - 27)
        for gender in adults:
            first = rng.choice(women if gender == Gender.WOMAN else men)
            members.append(
                (
                    index,
                    _person(
                        demo,
                        first,
                        surname,
                        gender,
                        parent_birth + rng.randint(-3, 3),
                        language,
                        newcomer,
                        arrival,
                        district,
                        adult=True,
                    ),
                )
            )
        for _child in range(rng.choice([1, 1, 2, 2, 2, 3, 3, 4])):
            gender = rng.choice([Gender.WOMAN, Gender.MAN])
            first = rng.choice(women if gender == Gender.WOMAN else men)
            birth = rng.randint(max(parent_birth + 20, year - 18), year - 3)
            members.append(
                (
                    index,
                    _person(
                        demo,
                        first,
                        surname,
                        gender,
                        birth,
                        language,
                        newcomer,
                        arrival if arrival and arrival > birth else None,
                        district,
                        adult=False,
                    ),
                )
            )
    # Single adults: newcomers who came alone and established Swedes who volunteer or join the café.
    for _single in range(rng.randint(10, 16)):
        newcomer = rng.random() < 0.55
        language = rng.choice(NEWCOMER_LANGUAGES) if newcomer else "sv"
        surnames, women, men = NAMES[language]
        gender = rng.choice([Gender.WOMAN, Gender.MAN, Gender.WOMAN, Gender.MAN, Gender.OTHER])
        first = rng.choice(women if gender == Gender.WOMAN else men)
        birth = rng.randint(year - 75, year - 19)
        person = _person(
            demo,
            first,
            rng.choice(surnames),
            gender,
            birth,
            language,
            newcomer,
            rng.randint(*ARRIVAL_YEARS[language]) if newcomer else None,
            rng.choice(DISTRICTS),
            adult=True,
        )
        person.is_volunteer = not newcomer and rng.random() < 0.5
        members.append((None, person))

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


def _person(
    demo: Demo,
    first: str,
    last: str,
    gender: str,
    birth_year: int,
    language: str,
    newcomer: bool,
    arrival: int | None,
    district: str,
    *,
    adult: bool,
) -> Person:
    rng = demo.rng
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


def _activity_specs(town: str) -> list[DemoActivity]:
    return [
        DemoActivity(
            "cafe",
            "Språkcafé",
            ActivityCategory.LANGUAGE_CAFE,
            Arena.COMMUNITY_LIFE,
            Audience.ADULTS,
            f"{town} bibliotek",
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
    ]


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


def _registrations_and_attendance(demo: Demo, activities: dict[str, Activity]) -> None:
    rng = demo.rng
    year_ago = demo.now - dt.timedelta(days=364)
    registrations: list[Registration] = []
    joined_order: list[dt.datetime] = []
    # person id → (joined, stopped coming, how often they come) per activity
    habits: dict[tuple[str, int], tuple[dt.datetime, dt.datetime | None, float]] = {}
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
    # created_at is filled in on insert: set the real dates afterwards. A person was registered in the
    # network a little before their first activity; people in no activity came at any time of the year.
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
        leader = demo.leaders[key][0] if demo.leaders[key] else None
        marked: set[int] = set()
        for registration in by_activity.get(session.activity_id, []):
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
        minutes = int((session.ends_at - session.starts_at).total_seconds() // 60)
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
    Attendance.objects.bulk_create(attendances, batch_size=2000)
    VolunteerHours.objects.bulk_create(hours, batch_size=2000)
    _a_few_corrections(demo, attendances)


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
