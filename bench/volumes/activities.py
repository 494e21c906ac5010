"""A year of weekly activities with registrations and attendance, sized like the municipality.

A large municipality runs 40 weekly activities, a medium one 8, a small one 3; each met on one weekday in
each of the 52 weeks before this one, with 8 to 20 people registered, about four in five of them present
each time. That is about 29,000 attendance rows in a large municipality and 1,200 in a small one: what
the statistics, the attendance pages and the board's alternative to the rollup have to read.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from activities.models import (
    Activity,
    ActivityCategory,
    Arena,
    Attendance,
    AttendanceStatus,
    Registration,
    RegistrationStatus,
    Session,
)
from bench.plan import BenchTenant
from bench.volumes import tenant_volumes
from people.models import Person

WEEKS = 52
BATCH = 5000
TITLES = {
    ActivityCategory.LANGUAGE_CAFE: "Språkcafé",
    ActivityCategory.FAMILY: "Familjesöndag",
    ActivityCategory.SPORT: "Fotboll",
    ActivityCategory.HOMEWORK_HELP: "Läxhjälp",
    ActivityCategory.JOB_CLUB: "Jobbklubb",
    ActivityCategory.CULTURE: "Syträff",
}
ARENAS = {
    ActivityCategory.SPORT: Arena.CLUB_LIFE,
    ActivityCategory.JOB_CLUB: Arena.WORKING_LIFE,
    ActivityCategory.LANGUAGE_CAFE: Arena.COMMUNITY_LIFE,
}


def activities_count(tenant: BenchTenant) -> int:
    return 0 if tenant.is_association else tenant.scale(large=40, medium=8, small=3)


def first_week() -> dt.date:
    """The Monday 52 weeks before this week's."""
    today = timezone.localdate()
    return today - dt.timedelta(days=today.weekday(), weeks=WEEKS)


def weekly_sessions(activity: Activity, monday: dt.date) -> list[Session]:
    """The activity's session in each of the weeks from ``monday``, on its weekday and at its times."""
    if activity.start_time is None or activity.end_time is None:
        raise ValueError(f"The weekly activity {activity.pk} has no times.")
    sessions = []
    for week in range(WEEKS):
        day = monday + dt.timedelta(weeks=week, days=activity.weekdays[0])
        starts_at = timezone.make_aware(dt.datetime.combine(day, activity.start_time))
        ends_at = timezone.make_aware(dt.datetime.combine(day, activity.end_time))
        sessions.append(
            Session(activity=activity, starts_at=starts_at, ends_at=ends_at, scheduled_start=starts_at)
        )
    return sessions


@tenant_volumes(name="activities", version="1", order=30)
def activities(tenant: BenchTenant) -> int:
    count = activities_count(tenant)
    if not count:
        return 0
    rng = tenant.random("activities")
    people = list(Person.objects.values_list("pk", flat=True))
    leaders = list(User.objects.filter(role=Role.VOLUNTEER).values_list("pk", flat=True))
    monday = first_week()
    categories = list(TITLES)
    planned = []
    for number in range(count):
        category = categories[number % len(categories)]
        hour = rng.choice((10, 14, 17, 18))
        planned.append(
            Activity(
                title=f"{TITLES[category]} {number + 1}",
                category=category,
                arena=ARENAS.get(category, Arena.GENERAL),
                place="Biblioteket",
                weekdays=[rng.randrange(7)],
                start_time=dt.time(hour),
                end_time=dt.time(hour + 2),
                starts_on=monday,
            )
        )
    made = Activity.objects.bulk_create(planned)
    Activity.leaders.through.objects.bulk_create(
        Activity.leaders.through(activity_id=activity.pk, user_id=rng.choice(leaders)) for activity in made
    )
    registered = {
        activity.pk: rng.sample(people, k=min(len(people), rng.randint(8, 20))) for activity in made
    }
    Registration.objects.bulk_create(
        (
            Registration(activity_id=activity_id, person_id=person_id, status=RegistrationStatus.REGISTERED)
            for activity_id, person_ids in registered.items()
            for person_id in person_ids
        ),
        batch_size=BATCH,
    )
    sessions = Session.objects.bulk_create(
        (session for activity in made for session in weekly_sessions(activity, monday)), batch_size=BATCH
    )
    attendances = Attendance.objects.bulk_create(
        (
            Attendance(
                session_id=session.pk,
                person_id=person_id,
                status=AttendanceStatus.PRESENT if rng.random() < 0.8 else AttendanceStatus.ABSENT,
            )
            for session in sessions
            for person_id in registered[session.activity_id]
        ),
        batch_size=BATCH,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE core_activity, core_registration, core_session, core_attendance")
    return len(made) + len(sessions) + len(attendances)
