"""A municipality's database at the layout before the split of core (commit 2294251) migrates to the domain
apps and back with every table, row, column, constraint and index as it was.

The domain apps (people, partners, activities, matching, privacy) took core's models over in Django's state
only (``SeparateDatabaseAndState``, ``Meta.db_table = "core_*"``): at 300 schemas a renamed table or a moved
row is an outage. This test builds a tenant schema at the old layout with a little of everything a network
records, migrates it to today's leaf migrations, and compares. It fails when a moved model loses its
``db_table`` (in the code or in the migration state), when a state-only operation touches the database, or
when the new layout cannot be migrated back.

The schema is made inside the test's transaction, so nothing of it outlives the test, and the shared demo
tenants are never touched.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, cast
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps as installed_apps
from django.apps.registry import Apps
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.graph import MigrationGraph
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Model

from activities.models import Activity, Project
from matching.models import Match, Pathway
from people.models import Household, Person
from portal.models import Signup
from privacy.models import RetentionKeep, RetentionSetting
from tenants.connection import tenant_connection
from tenants.tests.test_clone import fingerprint

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# An underscore: never the schema of a tenant, whose slugs have none.
SCHEMA = "layout_migration"

# The apps that took core's models over (commit f03c158). Their first migrations start the new layout:
# every migration that depends on one of them belongs to it, everything else is the old layout.
DOMAIN_APPS = ("people", "partners", "activities", "matching", "privacy")

# Tables the old layout filled that are not core's: the public sign-ups point at households and activities.
PORTAL_TABLES = {"portal_signup", "portal_signupmember"}

STOCKHOLM = ZoneInfo("Europe/Stockholm")

Target = tuple[str, str | None]

# The split's last migrations (commit f03c158); they depend on the domain apps' first ones.
SPLIT: tuple[Target, ...] = (
    ("core", "0006_models_moved_to_domain_apps"),
    ("portal", "0002_signup_links_to_domain_apps"),
)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=STOCKHOLM)


# --- The migration graph ---------------------------------------------------------------------------------


def tenant_app_labels() -> list[str]:
    by_name = {config.name: config.label for config in installed_apps.get_app_configs()}
    return [by_name[name] for name in settings.TENANT_APPS]


def new_layout_nodes(graph: MigrationGraph) -> set[tuple[str, str]]:
    nodes: set[tuple[str, str]] = set()
    for app in DOMAIN_APPS:
        nodes.update(graph.backwards_plan((app, "0001_initial")))
    return nodes


def old_layout_targets(graph: MigrationGraph) -> list[Target]:
    """Per tenant app, its latest migration that does not depend on the new layout; apps that have only
    new-layout migrations are migrated to nothing (``None``), as a database at the old layout had them."""
    new = new_layout_nodes(graph)
    targets: list[Target] = []
    for app in tenant_app_labels():
        nodes = {node for node in graph.nodes if node[0] == app}
        old = nodes - new
        leaves = [
            node for node in old if not any(child.key in old for child in graph.node_map[node].children)
        ]
        assert len(leaves) <= 1, f"{app} has more than one leaf at the old layout: {leaves}"
        targets.extend(leaves or ([(app, None)] if nodes else []))
    return targets


def new_layout_targets(graph: MigrationGraph) -> list[Target]:
    labels = set(tenant_app_labels())
    return sorted(node for node in graph.leaf_nodes() if node[0] in labels)


def migrate(targets: list[Target]) -> Apps:
    """Migrate the connection's schema to ``targets``; the models as the migrations have them there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    nodes = [(app, name) for app, name in targets if name is not None]
    return executor.loader.project_state(nodes).apps


# --- The database, as PostgreSQL sees it ------------------------------------------------------------------

Columns = dict[str, list[str]]


def table_columns() -> Columns:
    """The schema's tables and their columns, except the migrations' own bookkeeping."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT c.table_name, c.column_name FROM information_schema.columns c
                 JOIN information_schema.tables t USING (table_schema, table_name)
                WHERE c.table_schema = %s AND t.table_type = 'BASE TABLE' AND c.table_name <> 'django_migrations'
                ORDER BY c.table_name, c.ordinal_position""",
            [SCHEMA],
        )
        columns: Columns = {}
        for table, column in cursor.fetchall():
            columns.setdefault(table, []).append(column)
    return columns


def table_rows(columns: Columns) -> dict[str, list[str]]:
    """Every row of the tables, as text of the given columns: a later migration may add a column or a
    table, but what the old layout held must be there as it was."""
    rows: dict[str, list[str]] = {}
    with connection.cursor() as cursor:
        for table, names in columns.items():
            row = ", ".join(f'"{name}"' for name in names)
            cursor.execute(f'SELECT ROW({row})::text FROM "{SCHEMA}"."{table}" ORDER BY 1')
            rows[table] = [text for (text,) in cursor.fetchall()]
    return rows


def foreign_keys() -> set[tuple[str, str, str]]:
    """(table, column, referenced table) of every foreign-key constraint in the schema."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT source.relname, column_.attname, target.relname
                 FROM pg_constraint co
                 JOIN pg_class source ON source.oid = co.conrelid
                 JOIN pg_class target ON target.oid = co.confrelid
                 JOIN pg_attribute column_ ON column_.attrelid = co.conrelid AND column_.attnum = co.conkey[1]
                WHERE co.contype = 'f' AND source.relnamespace = %s::regnamespace""",
            [SCHEMA],
        )
        return set(cursor.fetchall())


def many_to_many_tables(model: type[Model]) -> dict[str, type[Model]]:
    """The model's many-to-many fields and the models of their tables."""
    return {
        field.name: cast("type[Model]", field.remote_field.through)
        for field in model._meta.local_many_to_many
    }


def expected_foreign_keys(models: list[type[Model]]) -> set[tuple[str, str, str]]:
    """The foreign keys the models declare, many-to-many tables included."""
    keys = set()
    for model in models:
        for table in [model, *many_to_many_tables(model).values()]:
            for field in table._meta.concrete_fields:
                if field.many_to_one:
                    related = cast("type[Model]", field.related_model)._meta.db_table
                    keys.add((table._meta.db_table, field.column, related))
    return keys


def domain_models(apps: Apps) -> list[type[Model]]:
    return [model for app in DOMAIN_APPS for model in apps.get_app_config(app).get_models()]


def read_all(model: type[Model]) -> int:
    """Loads every row with every column the model has, so a missing table or column fails."""
    return len(list(model._base_manager.all()))


def index_and_constraint_names(table: str) -> set[str]:
    """The names PostgreSQL has for the table's indexes and constraints."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT indexname FROM pg_indexes WHERE schemaname = %s AND tablename = %s
               UNION SELECT conname FROM pg_constraint WHERE conrelid = format('%%I.%%I', %s, %s)::regclass""",
            [SCHEMA, table, SCHEMA, table],
        )
        return {name for (name,) in cursor.fetchall()}


# --- A network's records at the old layout -----------------------------------------------------------------


def old_layout_world(apps: Apps) -> None:
    """A little of everything a municipality records, written with the models as they were at the old
    layout: every table of core and the sign-ups that point into it get rows."""
    User = apps.get_model("accounts", "User")
    staff = {
        role: User.objects.create(email=f"{role}@layout.test", full_name=name, role=role, password="!")
        for role, name in [
            ("admin", "Maria Ek"),
            ("coordinator", "Sara Lind"),
            ("volunteer", "Johan Berg"),
        ]
    }
    people = people_world(apps, staff)
    partners = partners_world(apps)
    activities = activities_world(apps, staff, people, partners)
    matching_world(apps, staff, people, partners)
    privacy_world(apps, staff, people)
    portal_world(apps, staff, activities)


def people_world(apps: Apps, staff: dict[str, Any]) -> dict[str, Any]:
    Household = apps.get_model("core", "Household")
    Person = apps.get_model("core", "Person")
    Consent = apps.get_model("core", "Consent")
    PersonImport = apps.get_model("core", "PersonImport")
    haddad = Household.objects.create(name="Haddad", district="Gröndal", notes="Kom via SFI.")
    lindqvist = Household.objects.create(name="Lindqvist", district="Mossleberg")
    coordinator = staff["coordinator"]
    amina = Person.objects.create(
        household=haddad, first_name="Amina", last_name="Haddad", birth_date=dt.date(1988, 4, 2),
        birth_year=1988, gender="woman", group="newcomer", arrival_year=2023, languages=["ar", "sv"],
        interests=["matlagning", "promenader"], phone="0701234567", email="amina@layout.test",
        district="Gröndal", created_by=coordinator,
    )  # fmt: skip
    yusuf = Person.objects.create(
        household=haddad, household_role="child", first_name="Yusuf", last_name="Haddad", birth_year=2016,
        gender="man", group="newcomer", arrival_year=2023, languages=["ar"], interests=["fotboll"],
        created_by=coordinator,
    )  # fmt: skip
    karin = Person.objects.create(
        household=lindqvist, first_name="Karin", last_name="Lindqvist", birth_year=1975, gender="woman",
        group="established", languages=["sv", "en"], is_volunteer=True, created_by=coordinator,
    )  # fmt: skip
    tesfaye = Person.objects.create(
        first_name="Tesfaye", last_name="Gebre", birth_year=1999, gender="man", group="newcomer",
        languages=["ti"], protected_identity=True, created_by=coordinator,
    )  # fmt: skip
    erased = Person.objects.create(
        first_name="Anonymiserad", group="newcomer", erased_at=at(dt.date(2026, 1, 31), 3)
    )
    for person, purposes in [(amina, ["contact", "statistics", "photos"]), (karin, ["contact", "sharing"])]:
        for purpose in purposes:
            Consent.objects.create(person=person, purpose=purpose, given=True, recorded_by=coordinator)
    Consent.objects.create(
        person=yusuf, purpose="photos", given=False, given_by_guardian=True, guardian_name="Amina Haddad"
    )
    PersonImport.objects.create(
        created_by=staff["admin"],
        file_name="deltagare-varen.xlsx",
        rows=[{"first_name": "Leyla", "last_name": "Karimi", "group": "newcomer", "languages": "fa"}],
    )
    return {
        "haddad": haddad, "lindqvist": lindqvist, "amina": amina, "yusuf": yusuf, "karin": karin,
        "tesfaye": tesfaye, "erased": erased,
    }  # fmt: skip


def partners_world(apps: Apps) -> dict[str, Any]:
    Partner = apps.get_model("core", "Partner")
    PartnerContact = apps.get_model("core", "PartnerContact")
    club = Partner.objects.create(name="Värnamo IF", kind="club", website="https://if.layout.test")
    study = Partner.objects.create(name="Studieförbundet Vuxenskolan", kind="study_association")
    employer = Partner.objects.create(name="Hemtjänsten Väst", kind="employer", is_active=False)
    PartnerContact.objects.create(partner=club, name="Per Holm", title="Ungdomsledare", phone="0370-12345")
    PartnerContact.objects.create(partner=study, name="Lena Åberg", email="lena@layout.test")
    return {"club": club, "study": study, "employer": employer}


def activities_world(
    apps: Apps, staff: dict[str, Any], people: dict[str, Any], partners: dict[str, Any]
) -> Any:
    Activity = apps.get_model("core", "Activity")
    Session = apps.get_model("core", "Session")
    Registration = apps.get_model("core", "Registration")
    cafe = Activity.objects.create(
        title="Språkcafé", category="language_cafe", arena="community_life", place="Biblioteket",
        languages=["sv", "ar", "ti"], weekdays=[2], start_time=dt.time(17), end_time=dt.time(19),
        starts_on=dt.date(2026, 1, 14), partner=partners["study"],
    )  # fmt: skip
    football = Activity.objects.create(
        title="Familjefotboll", category="sport", arena="club_life", audience="families", capacity=30,
        schedule_kind="single", partner=partners["club"], is_public=False,
    )  # fmt: skip
    cafe.leaders.add(staff["volunteer"], staff["coordinator"])
    football.leaders.add(staff["volunteer"])
    sessions = [
        Session.objects.create(activity=cafe, starts_at=at(day, 17), ends_at=at(day, 19), scheduled_start=at(day, 17))
        for day in (dt.date(2026, 1, 14), dt.date(2026, 1, 21), dt.date(2026, 1, 28))
    ]  # fmt: skip
    match_day = dt.date(2026, 2, 7)
    Session.objects.create(
        activity=football, starts_at=at(match_day, 10), ends_at=at(match_day, 12), scheduled_start=at(match_day, 10),
        status="cancelled", cancel_reason="Snö på planen",
    )  # fmt: skip
    for person in (people["amina"], people["yusuf"], people["karin"]):
        Registration.objects.create(
            activity=cafe, person=person, status="registered", registered_by=staff["volunteer"]
        )
    Registration.objects.create(
        activity=football, person=people["tesfaye"], status="cancelled", cancelled_at=at(match_day, 8)
    )
    attendance_world(apps, staff, people, sessions)
    projects_world(apps, [cafe, football])
    return {"cafe": cafe, "football": football}


def attendance_world(apps: Apps, staff: dict[str, Any], people: dict[str, Any], sessions: list[Any]) -> None:
    Attendance = apps.get_model("core", "Attendance")
    AttendanceChange = apps.get_model("core", "AttendanceChange")
    VolunteerHours = apps.get_model("core", "VolunteerHours")
    volunteer = staff["volunteer"]
    for session in sessions:
        for person, status in [
            (people["amina"], "present"),
            (people["yusuf"], "present"),
            (people["karin"], "excused"),
        ]:
            Attendance.objects.create(session=session, person=person, status=status, recorded_by=volunteer)
    walk_in = Attendance.objects.create(
        session=sessions[1],
        person=people["tesfaye"],
        status="present",
        is_walk_in=True,
        recorded_by=volunteer,
    )
    AttendanceChange.objects.create(
        attendance=walk_in, before="absent", after="present", changed_by=volunteer
    )
    for session in sessions[:2]:
        VolunteerHours.objects.create(
            user=volunteer,
            activity=session.activity,
            session=session,
            date=session.starts_at.date(),
            minutes=150,
        )
    VolunteerHours.objects.create(
        user=staff["coordinator"], activity=sessions[0].activity, date=dt.date(2026, 1, 10), minutes=90, note="Planering"
    )  # fmt: skip


def projects_world(apps: Apps, activities: list[Any]) -> None:
    Project = apps.get_model("core", "Project")
    ReportingDate = apps.get_model("core", "ReportingDate")
    project = Project.objects.create(
        name="Vänskap i Värnamo", funder_kind="arvsfonden", funder_name="Allmänna Arvsfonden",
        starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2028, 12, 31), budget_sek=Decimal("1450000"),
    )  # fmt: skip
    project.activities.add(*activities)
    ReportingDate.objects.create(project=project, due_on=dt.date(2026, 6, 30), description="Lägesrapport")
    ReportingDate.objects.create(
        project=project, due_on=dt.date(2027, 1, 31), description="Årsrapport", done=False
    )
    Project.objects.create(
        name="Jobbspåret", funder_kind="region", starts_on=dt.date(2025, 9, 1), ends_on=dt.date(2026, 8, 31)
    )


def matching_world(
    apps: Apps, staff: dict[str, Any], people: dict[str, Any], partners: dict[str, Any]
) -> None:
    MatchRequest = apps.get_model("core", "MatchRequest")
    Match = apps.get_model("core", "Match")
    coordinator = staff["coordinator"]
    newcomers = MatchRequest.objects.create(
        kind="friend_family", group="newcomer", person=people["amina"], household=people["haddad"],
        languages=["ar", "sv"], children_birth_years=[2016], district="Gröndal", availability=["weekends"],
        status="matched", created_by=coordinator,
    )  # fmt: skip
    established = MatchRequest.objects.create(
        kind="friend_family", group="established", person=people["karin"], household=people["lindqvist"],
        languages=["sv", "en"], availability=["weekends", "evenings"], preferences=["with_children"],
        status="matched", created_by=coordinator,
    )  # fmt: skip
    MatchRequest.objects.create(
        kind="language_friend", group="newcomer", person=people["tesfaye"], languages=["ti"], source="public"
    )
    match = Match.objects.create(
        kind="friend_family", newcomer_request=newcomers, established_request=established, status="active",
        proposed_on=dt.date(2026, 2, 1), started_on=dt.date(2026, 2, 15), coordinator=coordinator,
        first_meeting_at=at(dt.date(2026, 2, 15), 14), first_meeting_place="Stadsparken",
    )  # fmt: skip
    CheckIn = apps.get_model("core", "CheckIn")
    for months, due_on, status in [(1, dt.date(2026, 3, 15), "done"), (3, dt.date(2026, 5, 15), "planned")]:
        CheckIn.objects.create(match=match, months=months, due_on=due_on, status=status)
    MatchContact = apps.get_model("core", "MatchContact")
    MatchContact.objects.create(
        match=match, kind="met", happened_on=dt.date(2026, 2, 15), logged_by=coordinator
    )
    MatchContact.objects.create(
        match=match, kind="phoned", happened_on=dt.date(2026, 3, 2), note="Fika nästa vecka"
    )
    apps.get_model("core", "MatchingOptOut").objects.create(
        person=people["tesfaye"], opted_out=True, note="Vill vänta", recorded_by=coordinator
    )
    apps.get_model("core", "DistrictNeighbour").objects.create(district_a="Gröndal", district_b="Mossleberg")
    pathways_world(apps, coordinator, people, partners)


def pathways_world(apps: Apps, coordinator: Any, people: dict[str, Any], partners: dict[str, Any]) -> None:
    Pathway = apps.get_model("core", "Pathway")
    PathwayStageChange = apps.get_model("core", "PathwayStageChange")
    to_work = Pathway.objects.create(
        person=people["amina"], arena="working_life", goal="Jobb inom vården", stage="started",
        stage_on=dt.date(2026, 3, 1), partner=partners["employer"], coordinator=coordinator,
    )  # fmt: skip
    for stage, day in [("interest", 20), ("referred", 25)]:
        PathwayStageChange.objects.create(pathway=to_work, stage=stage, changed_on=dt.date(2026, 2, day))
    PathwayStageChange.objects.create(
        pathway=to_work, stage="started", changed_on=dt.date(2026, 3, 1), recorded_by=coordinator
    )
    to_club = Pathway.objects.create(
        person=people["yusuf"], arena="club_life", goal="Ungdomsfotboll", stage="established",
        stage_on=dt.date(2026, 3, 10), outcome="club_member", partner=partners["club"],
    )  # fmt: skip
    PathwayStageChange.objects.create(pathway=to_club, stage="established", changed_on=dt.date(2026, 3, 10))


def privacy_world(apps: Apps, staff: dict[str, Any], people: dict[str, Any]) -> None:
    apps.get_model("core", "RetentionSetting").objects.create(pk=1, months=36, updated_by=staff["admin"])
    apps.get_model("core", "RetentionKeep").objects.create(
        person=people["karin"], reason="Pågående projektredovisning", kept_until=dt.date(2029, 3, 31),
        created_by=staff["admin"],
    )  # fmt: skip


def portal_world(apps: Apps, staff: dict[str, Any], activities: dict[str, Any]) -> None:
    Signup = apps.get_model("portal", "Signup")
    SignupMember = apps.get_model("portal", "SignupMember")
    Household = apps.get_model("core", "Household")
    household = Household.objects.create(name="Rahimi", district="Centrum")
    accepted = Signup.objects.create(
        group="newcomer", contact_first_name="Farid", contact_last_name="Rahimi", phone="0739876543",
        district="Centrum", languages=["fa", "sv"], message="Vi vill gärna komma på språkcaféet.", language="fa",
        consent=True, status="accepted", handled_at=at(dt.date(2026, 3, 3), 9), handled_by=staff["coordinator"],
        household=household, activity=activities["cafe"],
    )  # fmt: skip
    for position, (name, year, wishes) in enumerate(
        [("Farid", 1985, ["activity", "job"]), ("Nazanin", 2014, ["club"])]
    ):
        SignupMember.objects.create(
            signup=accepted, first_name=name, birth_year=year, wishes=wishes, position=position
        )
    waiting = Signup.objects.create(
        group="volunteer", contact_first_name="Eva", email="eva@layout.test", language="sv", consent=True
    )
    SignupMember.objects.create(signup=waiting, first_name="Eva", wishes=["language_friend"])


# --- The test ------------------------------------------------------------------------------------------


@pytest.fixture
def fresh_schema() -> Iterator[str]:
    """An empty tenant schema of its own. It exists only in the test's transaction: the rollback at the
    end of the test drops it with everything in it, whether the test passed or failed half-way."""
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE SCHEMA "{SCHEMA}"')
    # As migrate_schemas does: the schema's own migration table first, so the public schema's is never
    # read instead; then the tenant's search path (its schema, then public).
    tenant_connection().set_schema(SCHEMA, include_public=False)
    MigrationRecorder(connection).ensure_schema()
    tenant_connection().set_schema(SCHEMA)
    yield SCHEMA
    tenant_connection().set_schema_to_public()


def test_a_tenant_at_the_old_layout_migrates_to_the_domain_apps_and_back_unchanged(fresh_schema: str) -> None:
    graph = MigrationExecutor(connection).loader.graph
    old_targets, new_targets = old_layout_targets(graph), new_layout_targets(graph)
    assert {("core", "0005_retention"), ("portal", "0001_initial"), ("people", None)} <= set(old_targets)

    old_apps = migrate(old_targets)
    old_layout_world(old_apps)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # every foreign key checked now, not at a commit
    columns = table_columns()
    before = table_rows(columns)
    empty = sorted(t for t in before if (t.startswith("core_") or t in PORTAL_TABLES) and not before[t])
    assert not empty, f"the old layout's world leaves tables empty: {empty}"
    old_models = [
        *old_apps.get_app_config("core").get_models(),
        *old_apps.get_app_config("portal").get_models(),
    ]
    old_keys = expected_foreign_keys(old_models)
    assert (
        {
            ("portal_signup", "household_id", "core_household"),
            ("portal_signup", "activity_id", "core_activity"),
            ("core_activity_leaders", "user_id", "accounts_user"),
            ("core_project_activities", "activity_id", "core_activity"),
        }
        <= old_keys
        <= foreign_keys()
    )
    layout = fingerprint(SCHEMA)

    # The split itself: the same database, to the last column, constraint and index.
    split_apps = migrate(list(SPLIT))
    assert_rows_kept(before, columns, old_keys)
    assert fingerprint(SCHEMA) == layout
    assert not [m for m in split_apps.get_models() if m._meta.app_label == "core"], "core still holds models"
    assert_the_domain_apps_read_the_old_rows(split_apps, old_apps, before, every_model_moved=True)

    # Today's layout, as the code has it: the migration state and the models agree with the old tables.
    new_apps = migrate(new_targets)
    assert_rows_kept(before, columns, old_keys)
    for apps in (new_apps, installed_apps):
        assert_the_domain_apps_read_the_old_rows(apps, old_apps, before)
    assert_the_models_follow_the_links()

    # Back to the old layout, and forward again.
    old_apps = migrate(old_targets)
    assert_rows_kept(before, columns, old_keys)
    assert fingerprint(SCHEMA) == layout
    for model in old_models:
        assert read_all(model) == len(before[model._meta.db_table]), model
    migrate(new_targets)
    assert_rows_kept(before, columns, old_keys)
    assert_the_models_follow_the_links()
    assert_new_rows_continue_the_sequences(before)


def assert_rows_kept(before: dict[str, list[str]], columns: Columns, old_keys: set[Any]) -> None:
    now = table_columns()
    assert set(columns) <= set(now), f"tables gone: {sorted(set(columns) - set(now))}"
    after = table_rows(columns)
    assert {t: len(rows) for t, rows in after.items()} == {t: len(rows) for t, rows in before.items()}
    for table, rows in before.items():
        assert after[table] == rows, f"the rows of {table} changed"
    assert old_keys <= foreign_keys(), f"foreign keys gone: {sorted(old_keys - foreign_keys())}"


def assert_the_domain_apps_read_the_old_rows(
    apps: Apps, old_apps: Apps, before: dict[str, list[str]], every_model_moved: bool = False
) -> None:
    """Each of core's old models has its successor in a domain app, on the same table, reading every row;
    at the split, the domain apps hold nothing else."""
    successors = {model.__name__: model for model in domain_models(apps)}
    for old in old_apps.get_app_config("core").get_models():
        new = successors.pop(old.__name__)
        assert new._meta.db_table == old._meta.db_table, new
        assert read_all(new) == len(before[old._meta.db_table]), new
        # A later migration that alters or removes one of them finds it under the name it knows.
        declared = {item.name for item in [*new._meta.indexes, *new._meta.constraints]}
        assert declared <= index_and_constraint_names(new._meta.db_table), new
        old_tables, new_tables = many_to_many_tables(old), many_to_many_tables(new)
        assert {name: t._meta.db_table for name, t in new_tables.items()} == {
            name: t._meta.db_table for name, t in old_tables.items()
        }
        for table in new_tables.values():
            assert read_all(table) == len(before[table._meta.db_table]), table
    if every_model_moved:
        assert not successors, (
            f"models in the domain apps with no table at the old layout: {sorted(successors)}"
        )
    assert expected_foreign_keys(domain_models(apps)) <= foreign_keys()
    Signup = apps.get_model("portal", "Signup")
    assert Signup._meta.get_field("household").related_model is apps.get_model("people", "Household")
    assert Signup._meta.get_field("activity").related_model is apps.get_model("activities", "Activity")


def assert_the_models_follow_the_links() -> None:
    """Today's models, on the migrated schema, follow the links between the apps."""
    cafe = Activity.objects.get(title="Språkcafé")
    assert sorted(cafe.leaders.values_list("email", flat=True)) == [
        "coordinator@layout.test",
        "volunteer@layout.test",
    ]
    assert cafe.partner is not None and cafe.partner.name == "Studieförbundet Vuxenskolan"
    assert cafe.sessions.count() == 3
    assert sorted(a.person.first_name for a in cafe.sessions.order_by("starts_at")[1].attendances.all()) == [
        "Amina", "Karin", "Tesfaye", "Yusuf",
    ]  # fmt: skip
    assert Project.objects.get(name="Vänskap i Värnamo").activities.count() == 2
    signup = Signup.objects.get(contact_first_name="Farid")
    assert signup.household is not None and signup.household.name == "Rahimi"
    assert signup.activity == cafe
    assert [member.first_name for member in signup.members.order_by("position")] == ["Farid", "Nazanin"]
    haddad = Household.objects.get(name="Haddad")
    assert sorted(haddad.members.values_list("first_name", flat=True)) == ["Amina", "Yusuf"]
    match = Match.objects.get()
    assert match.newcomer_request.person.first_name == "Amina"
    assert match.established_request.household is not None
    assert match.established_request.household.name == "Lindqvist"
    assert match.check_ins.count() == 2 and match.contacts.count() == 2
    pathway = Pathway.objects.get(arena="working_life")
    assert [change.stage for change in pathway.stage_changes.all()] == ["interest", "referred", "started"]
    assert RetentionKeep.objects.get().person.first_name == "Karin"
    assert RetentionSetting.objects.get(pk=1).months == 36
    assert Person.objects.filter(protected_identity=True).get().first_name == "Tesfaye"


def assert_new_rows_continue_the_sequences(before: dict[str, list[str]]) -> None:
    household = Household.objects.create(name="Nyinflyttade")
    person = Person.objects.create(household=household, first_name="Ny", group="established")
    assert household.pk > len(before["core_household"]) and person.pk > len(before["core_person"])
