"""A small, seeded local network for statistics tests: activities in several categories, people of all ages,
sessions over a year, attendance, leaders' hours and an Arvsfonden project."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from accounts.models import User
from accounts.roles import Role
from activities.models import ActivityCategory, Arena, AttendanceStatus, FunderKind, Session, VolunteerHours
from people.models import Gender, Household, Person, PersonGroup
from stats.tests.factories import (
    ActivityFactory,
    AttendanceFactory,
    HouseholdFactory,
    PersonFactory,
    ProjectFactory,
    SessionFactory,
    at,
)

ACTIVITIES = (
    (ActivityCategory.LANGUAGE_CAFE, Arena.COMMUNITY_LIFE),
    (ActivityCategory.SPORT, Arena.CLUB_LIFE),
    (ActivityCategory.HOMEWORK_HELP, Arena.CLUB_LIFE),
    (ActivityCategory.JOB_CLUB, Arena.WORKING_LIFE),
)


@dataclass
class Network:
    people: list[Person] = field(default_factory=list)
    sessions: list[Session] = field(default_factory=list)


def network_build(
    *, seed: int, people: int = 60, sessions: int = 40, year: int = 2025, name: str = ""
) -> Network:
    """Runs in the current tenant's schema. Everything is in the past relative to ``year``'s end."""
    rng = random.Random(seed)
    prefix = name or f"Statistik {seed}"
    leader = User.objects.filter(role=Role.VOLUNTEER).first()
    activities = [
        ActivityFactory.create(title=f"{prefix} {category}", category=category, arena=arena)
        for category, arena in ACTIVITIES
    ]
    project = ProjectFactory.create(
        name=f"{prefix} Arvsfondsprojekt",
        funder_kind=FunderKind.ARVSFONDEN,
        starts_on=dt.date(year, 1, 1),
        ends_on=dt.date(year, 12, 31),
    )
    project.activities.add(activities[1], activities[2])
    households = [HouseholdFactory.create(name=f"{prefix} familj {n}") for n in range(people // 3)]
    network = Network()
    for n in range(people):
        network.people.append(_person(rng, f"{prefix} {n}", n, year, households))
    slots = sorted(
        {
            (
                rng.randrange(len(activities)),
                dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, 364)),
                rng.randint(9, 19),
            )
            for _ in range(sessions)
        }
    )
    for index, day, hour in slots:
        session = SessionFactory.create(activity=activities[index], starts_at=at(day, hour))
        network.sessions.append(session)
        for person in rng.sample(network.people, rng.randint(0, min(12, len(network.people)))):
            AttendanceFactory.create(
                session=session,
                person=person,
                status=rng.choice([AttendanceStatus.PRESENT] * 4 + [AttendanceStatus.ABSENT]),
            )
        if leader and rng.random() < 0.6:
            VolunteerHours.objects.create(
                user=leader,
                activity=activities[index],
                session=session,
                date=day,
                minutes=rng.choice([60, 90, 120]),
            )
    return network


def _person(rng: random.Random, first_name: str, n: int, year: int, households: list[Household]) -> Person:
    """Someone of any gender, group and age; one in nine may have no birth year."""
    return PersonFactory.create(
        first_name=first_name,
        gender=rng.choice(
            [Gender.WOMAN, Gender.WOMAN, Gender.MAN, Gender.MAN, Gender.OTHER, Gender.NOT_STATED]
        ),
        group=rng.choice(list(PersonGroup.values)),
        birth_year=rng.choice([None, *range(year - 80, year - 2)])
        if n % 9 == 0
        else rng.randint(year - 80, year - 2),
        household=rng.choice([None, *households]),
    )
