"""Activities, their sessions and attendance, registrations and the waiting lists, projects."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.roles import MANAGERS, STAFF
from activities.selectors.activities import (
    activities_for_user,
    attendance_for_user,
    get_activity_for_actor,
    get_session_for_actor,
    leader_choices,
    registrations_for_user,
    sessions_for_user,
)
from activities.selectors.projects import (
    get_project_for_actor,
    get_reporting_date_for_actor,
    projects_for_user,
)
from activities.services.activities import (
    NoticePlan,
    activity_create,
    activity_update,
    registration_cancel,
    registration_create,
    session_add,
    session_cancel,
    session_move,
)
from activities.services.attendance import attendance_sheet_save
from activities.services.projects import (
    project_create,
    project_update,
    reporting_date_add,
    reporting_date_set_done,
)
from api.resources import filters
from api.resources import serializers as s
from api.resources.inputs import activities as i
from api.resources.views.base import ReadOnlyApiViewSet, RuleRefused, domain_errors, referenced, validated
from partners.selectors import partners_visible_to
from people.selectors.people import people_visible_to

if TYPE_CHECKING:
    from activities.models import Activity, Attendance, Project, Registration, Session


@extend_schema_view(
    list=extend_schema(summary="Activities (a volunteer's: those they lead)"),
    retrieve=extend_schema(summary="One activity"),
    create=extend_schema(
        summary="Create an activity and the sessions of its schedule",
        request=i.ActivityWriteSerializer,
        responses={201: s.ActivitySerializer},
    ),
    partial_update=extend_schema(
        summary="Change an activity (is_active false: ends it)",
        description=(
            "Future sessions follow a changed schedule; past, moved, cancelled and marked sessions stay. "
            "Seats opened by a larger capacity go to the waiting list."
        ),
        request=i.ActivityWriteSerializer,
        responses={200: s.ActivitySerializer},
    ),
)
class ActivityViewSet(ReadOnlyApiViewSet):
    read_roles = STAFF
    write_roles = MANAGERS
    serializer_class = s.ActivitySerializer
    filterset_class = filters.ActivityFilter
    search_fields = ["title", "place", "description"]
    ordering_fields = ["title", "category", "starts_on", "created_at", "id"]

    def get_queryset(self) -> QuerySet[Any]:
        return activities_for_user(actor=self.actor).prefetch_related("leaders").order_by("title", "id")

    def _references(self, given: i.ActivityWriteSerializer, current: Activity | None) -> dict[str, Any]:
        """The partner and the leaders the body names, as the activity form offers them."""
        data = given.validated_data
        partner = current.partner if current is not None else None
        if "partner" in data:
            partner_id = data["partner"]
            partner = (
                referenced(
                    lambda: partners_visible_to(actor=self.actor).filter(is_active=True).get(pk=partner_id),
                    _("No such partner."),
                )
                if partner_id
                else None
            )
        leaders = list(current.leaders.all()) if current is not None else []
        if "leaders" in data:
            wanted = set(data["leaders"])
            leaders = list(leader_choices().filter(pk__in=wanted))
            if len(leaders) != len(wanted):
                raise NotFound(_("No such user to lead the activity."))
        return {"partner": partner, "leaders": leaders}

    def create(self, request: Request) -> Response:
        given = validated(i.ActivityWriteSerializer(data=request.data))
        data = given.activity_data(**self._references(given, None), current=None)
        with domain_errors():
            activity = activity_create(actor=self.actor, data=data)
        return self.answer(activity.pk, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        activity = get_activity_for_actor(actor=self.actor, pk=int(pk))
        given = validated(i.ActivityWriteSerializer(data=request.data, partial=True))
        data = given.activity_data(**self._references(given, activity), current=activity)
        with domain_errors():
            activity_update(actor=self.actor, activity=activity, data=data)
        return self.answer(activity.pk)

    @extend_schema(
        summary="Add one extra session",
        request=i.SessionAddSerializer,
        responses={201: s.SessionSerializer},
        filters=False,
    )
    @action(detail=True, methods=["post"], url_path="sessions")
    def sessions(self, request: Request, pk: str) -> Response:
        activity = get_activity_for_actor(actor=self.actor, pk=int(pk))
        given = validated(i.SessionAddSerializer(data=request.data))
        with domain_errors():
            session = session_add(actor=self.actor, activity=activity, **given.validated_data)
        session.present_count = 0  # type: ignore[attr-defined]  # a new session has no marks yet
        return Response(s.SessionSerializer(session).data, status=status.HTTP_201_CREATED)


@extend_schema_view(list=extend_schema(summary="Sessions"), retrieve=extend_schema(summary="One session"))
class SessionViewSet(ReadOnlyApiViewSet):
    read_roles = STAFF
    # Attendance a volunteer takes for the sessions they lead (the service checks that, as on the attendance
    # sheet); cancelling and moving are the managers' (their actions say so), as on the session page.
    write_roles = STAFF
    serializer_class = s.SessionSerializer
    filterset_class = filters.SessionFilter
    search_fields = ["activity__title", "place", "note"]
    ordering_fields = ["starts_at", "ends_at", "status", "id"]

    def get_queryset(self) -> QuerySet[Session]:
        return sessions_for_user(actor=self.actor)

    @extend_schema(
        summary="Save a session's attendance in one request",
        description=(
            "A list of {person, status} for people registered in the activity. Earlier marks are "
            "corrected and each correction is logged. All or nothing."
        ),
        request=s.AttendanceMarkSerializer(many=True),
        responses={200: s.AttendanceSaveResultSerializer},
        filters=False,
    )
    @action(detail=True, methods=["post"], url_path="attendance", filter_backends=[], pagination_class=None)
    def attendance(self, request: Request, pk: str) -> Response:
        session = get_session_for_actor(actor=self.actor, pk=int(pk))
        marks = s.AttendanceMarkSerializer(data=request.data, many=True)
        marks.is_valid(raise_exception=True)
        by_person: dict[int, str] = {}
        for mark in marks.validated_data:
            if mark["person"] in by_person:
                # Well-formed but contradictory: which of the two marks is meant cannot be guessed.
                raise RuleRefused(_("Each person may be marked once."))
            by_person[mark["person"]] = mark["status"]
        with domain_errors():
            result = attendance_sheet_save(actor=self.actor, session=session, marks=by_person)
        rows = attendance_for_user(actor=self.actor).filter(session=session).order_by("id")
        return Response(
            s.AttendanceSaveResultSerializer(
                {"created": result.created, "changed": result.changed, "attendance": rows}
            ).data
        )

    def _told(self, session: Session, plan: NoticePlan) -> Response:
        """The session after the change, and who is told how (the page's "e-mail is on its way" and
        "please phone")."""
        return Response(
            s.SessionNoticeResultSerializer(
                {
                    "session": self.get_queryset().get(pk=session.pk),
                    "emailed": sorted(person.pk for person in plan.emailed),
                    "to_phone": sorted(person.pk for person in plan.to_phone),
                }
            ).data
        )

    @extend_schema(
        summary="Cancel a session, with the reason",
        description=(
            "The people registered are told: e-mailed when they have an address and a contact consent, the "
            "others listed in to_phone, as on the session page. A session where someone was marked present "
            "took place and cannot be cancelled."
        ),
        request=i.SessionCancelSerializer,
        responses={200: s.SessionNoticeResultSerializer},
        filters=False,
    )
    @action(detail=True, methods=["post"], url_path="cancel", write_roles=MANAGERS)
    def cancel(self, request: Request, pk: str) -> Response:
        session = get_session_for_actor(actor=self.actor, pk=int(pk))
        given = validated(i.SessionCancelSerializer(data=request.data))
        with domain_errors():
            plan = session_cancel(actor=self.actor, session=session, reason=given.validated_data["reason"])
        return self._told(session, plan)

    @extend_schema(
        summary="Move a session: a new date, time or place",
        description=(
            "Times are on the network's wall clock (Europe/Stockholm). The people registered are told, as "
            "when cancelling. A cancelled session cannot be moved."
        ),
        request=i.SessionMoveSerializer,
        responses={200: s.SessionNoticeResultSerializer},
        filters=False,
    )
    @action(detail=True, methods=["post"], url_path="move", write_roles=MANAGERS)
    def move(self, request: Request, pk: str) -> Response:
        session = get_session_for_actor(actor=self.actor, pk=int(pk))
        data = validated(i.SessionMoveSerializer(data=request.data)).validated_data
        with domain_errors():
            plan = session_move(
                actor=self.actor,
                session=session,
                date=data["date"],
                start_time=data["start_time"],
                end_time=data["end_time"],
                # The form starts from the session's place: leaving it out keeps it.
                place=data.get("place", session.place),
            )
        return self._told(session, plan)


@extend_schema_view(
    list=extend_schema(summary="Registrations and the waiting lists"),
    retrieve=extend_schema(summary="One registration"),
    create=extend_schema(
        summary="Register a person in an activity",
        description="A seat when there is one, otherwise a place on the waiting list.",
        request=s.RegistrationCreateSerializer,
        responses={201: s.RegistrationSerializer},
    ),
)
class RegistrationViewSet(mixins.CreateModelMixin, ReadOnlyApiViewSet):
    read_roles = STAFF
    write_roles = MANAGERS
    serializer_class = s.RegistrationSerializer
    filterset_class = filters.RegistrationFilter
    search_fields = ["person__first_name", "person__last_name", "activity__title"]
    ordering_fields = ["created_at", "status", "id"]

    def get_queryset(self) -> QuerySet[Registration]:
        return registrations_for_user(actor=self.actor)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = s.RegistrationCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        activity = activities_for_user(actor=self.actor).filter(pk=given.validated_data["activity"]).first()
        person = people_visible_to(actor=self.actor).filter(pk=given.validated_data["person"]).first()
        # Missing and not-yours get the same 404, as everywhere.
        if activity is None:
            raise NotFound(_("No such activity."))
        if person is None:
            raise NotFound(_("No such person."))
        with domain_errors():
            registration = registration_create(actor=self.actor, activity=activity, person=person)
        return Response(s.RegistrationSerializer(registration).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Cancel a registration",
        description=(
            "A seat that comes free goes to the first on the waiting list, who is e-mailed when they have "
            "an address and a contact consent; the others are listed in to_phone, as on the activity page."
        ),
        request=None,
        responses={200: s.RegistrationCancelResultSerializer},
        filters=False,
    )
    @action(detail=True, methods=["post"], url_path="cancel")
    def cancel(self, request: Request, pk: str) -> Response:
        registration = self.get_queryset().filter(pk=int(pk)).first()
        if registration is None:
            raise NotFound(_("Not found."))
        with domain_errors():
            plan = registration_cancel(actor=self.actor, registration=registration)
        registration.refresh_from_db()
        return Response(
            s.RegistrationCancelResultSerializer(
                {
                    "registration": registration,
                    "promoted": sorted(person.pk for person in [*plan.emailed, *plan.to_phone]),
                    "to_phone": sorted(person.pk for person in plan.to_phone),
                }
            ).data
        )


@extend_schema_view(
    list=extend_schema(summary="Attendance marks"), retrieve=extend_schema(summary="One attendance mark")
)
class AttendanceViewSet(ReadOnlyApiViewSet):
    read_roles = STAFF
    serializer_class = s.AttendanceSerializer
    filterset_class = filters.AttendanceFilter
    search_fields = ["person__first_name", "person__last_name"]
    ordering_fields = ["recorded_at", "status", "id"]

    def get_queryset(self) -> QuerySet[Attendance]:
        return attendance_for_user(actor=self.actor)


@extend_schema_view(
    list=extend_schema(summary="Projects"),
    retrieve=extend_schema(summary="One project"),
    create=extend_schema(
        summary="Create a project", request=i.ProjectWriteSerializer, responses={201: s.ProjectSerializer}
    ),
    partial_update=extend_schema(
        summary="Change a project", request=i.ProjectWriteSerializer, responses={200: s.ProjectSerializer}
    ),
)
class ProjectViewSet(ReadOnlyApiViewSet):
    read_roles = MANAGERS
    write_roles = MANAGERS
    serializer_class = s.ProjectSerializer
    filterset_class = filters.ProjectFilter
    search_fields = ["name", "funder_name"]
    ordering_fields = ["name", "starts_on", "ends_on", "id"]

    def get_queryset(self) -> QuerySet[Project]:
        return projects_for_user(actor=self.actor).prefetch_related("activities").order_by("-starts_on", "id")

    def _activities(self, given: i.ProjectWriteSerializer, current: Project | None) -> list[Activity]:
        if "activities" not in given.validated_data:
            return list(current.activities.all()) if current is not None else []
        wanted = set(given.validated_data["activities"])
        activities = list(activities_for_user(actor=self.actor).filter(pk__in=wanted))
        if len(activities) != len(wanted):
            raise NotFound(_("No such activity."))
        return activities

    def create(self, request: Request) -> Response:
        given = validated(i.ProjectWriteSerializer(data=request.data))
        data = given.project_data(activities=self._activities(given, None), current=None)
        with domain_errors():
            project = project_create(actor=self.actor, data=data)
        return self.answer(project.pk, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        project = get_project_for_actor(actor=self.actor, pk=int(pk))
        given = validated(i.ProjectWriteSerializer(data=request.data, partial=True))
        data = given.project_data(activities=self._activities(given, project), current=project)
        with domain_errors():
            project_update(actor=self.actor, project=project, data=data)
        return self.answer(project.pk)

    @extend_schema(
        methods=["GET"],
        summary="A project's reporting dates (what is due to the funder, and when)",
        request=None,
        responses={200: s.ReportingDateSerializer(many=True)},
        filters=False,
    )
    @extend_schema(
        methods=["POST"],
        summary="Add a reporting date to a project",
        request=i.ReportingDateAddSerializer,
        responses={201: s.ReportingDateSerializer},
        filters=False,
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="reporting-dates",
        filter_backends=[],
        pagination_class=None,
    )
    def reporting_dates(self, request: Request, pk: str) -> Response:
        project = get_project_for_actor(actor=self.actor, pk=int(pk))
        if request.method == "GET":
            return Response(s.ReportingDateSerializer(project.reporting_dates.all(), many=True).data)
        data = validated(i.ReportingDateAddSerializer(data=request.data)).validated_data
        with domain_errors():
            reporting_date = reporting_date_add(
                actor=self.actor, project=project, due_on=data["due_on"], description=data["description"]
            )
        return Response(s.ReportingDateSerializer(reporting_date).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Mark a reporting date as done (or, with done false, as not done)",
        request=i.ReportingDateDoneSerializer,
        responses={200: s.ReportingDateSerializer},
        filters=False,
    )
    @action(detail=True, methods=["post"], url_path="reporting-dates/<int:date_pk>/done")
    def reporting_date_done(self, request: Request, pk: str, date_pk: str) -> Response:
        project = get_project_for_actor(actor=self.actor, pk=int(pk))
        reporting_date = get_reporting_date_for_actor(actor=self.actor, project=project, pk=int(date_pk))
        done = validated(i.ReportingDateDoneSerializer(data=request.data)).validated_data["done"]
        reporting_date_set_done(actor=self.actor, reporting_date=reporting_date, done=done)
        return Response(s.ReportingDateSerializer(reporting_date).data)
