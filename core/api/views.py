"""The viewsets of /api/v1/. Each declares the roles that may read and write, as the pages do (HasRole),
and starts its queryset from the selector the pages use, so the API never shows more than the UI."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, NotFound
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import Role, User
from core.api import filters
from core.api import serializers as s
from core.api.schema import ApiSchema
from core.errors import CoreError
from core.models import (
    Attendance,
    AttendanceStatus,
    Household,
    Match,
    MatchRequest,
    Partner,
    Pathway,
    Person,
    Project,
    Registration,
    Session,
)
from core.selectors.activities import (
    activities_for_user,
    get_session_for_user,
    only_visible,
)
from core.selectors.matching import can_manage_matching, matches_for_user
from core.selectors.partners import partners_visible_to
from core.selectors.pathways import pathways_for_user
from core.selectors.people import households_visible_to, people_visible_to
from core.selectors.projects import projects_for_user
from core.services.activities import registration_create
from core.services.attendance import attendance_sheet_save
from core.services.matching import MatchingError
from core.services.partners import PartnerError
from core.services.pathways import PathwayError
from core.services.people import PeopleError

MANAGERS = frozenset({Role.ADMIN, Role.COORDINATOR})
STAFF = frozenset({Role.ADMIN, Role.COORDINATOR, Role.VOLUNTEER})

DOMAIN_ERRORS = (CoreError, PeopleError, PartnerError, PathwayError, MatchingError)


class RuleRefused(APIException):
    """A rule of the work refused a well-formed request (a full activity's rules, a cancelled session,
    someone already registered): the request conflicts with the current state, so 409, not 400."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


@contextmanager
def domain_errors() -> Iterator[None]:
    """The services' domain exceptions as a 409 in the API's one error shape, with their message."""
    try:
        yield
    except DOMAIN_ERRORS as exc:
        raise RuleRefused(str(getattr(exc, "message", exc))) from exc


class ApiViewSet(viewsets.GenericViewSet):
    """Shared by every endpoint here: roles, the error-documenting schema, integer ids in the path."""

    read_roles: frozenset[Role] = frozenset()
    write_roles: frozenset[Role] = frozenset()
    schema = ApiSchema()
    # JSON only: a list of marks has no form encoding, and one body format keeps the contract simple.
    parser_classes = [JSONParser]
    lookup_value_converter = "int"

    @property
    def actor(self) -> User:
        return cast(User, self.request.user)  # HasRole lets only signed-in users through

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        # PostgreSQL refuses NUL in text, and no search or filter value needs one: drop them before any
        # filter reaches the database.
        params = request.query_params
        if any("\x00" in value for values in params.lists() for value in values[1]):
            cleaned = params.copy()
            for key, values in params.lists():
                cleaned.setlist(key, [value.replace("\x00", "") for value in values])
            request._request.GET = cleaned  # type: ignore[assignment]


class ReadOnlyApiViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    pass


@extend_schema_view(
    list=extend_schema(summary="Households the user may see"),
    retrieve=extend_schema(summary="One household"),
)
class HouseholdViewSet(ReadOnlyApiViewSet):
    read_roles = STAFF
    serializer_class = s.HouseholdSerializer
    filterset_class = filters.HouseholdFilter
    search_fields = ["name", "district"]
    ordering_fields = ["name", "district", "created_at", "id"]

    def get_queryset(self) -> QuerySet[Household]:
        return households_visible_to(self.actor).order_by("name", "id")


@extend_schema_view(
    list=extend_schema(
        summary="People the user may see",
        description="Volunteers see the people of the activities they lead, never a protected identity.",
    ),
    retrieve=extend_schema(summary="One person"),
)
class PersonViewSet(ReadOnlyApiViewSet):
    read_roles = STAFF
    filterset_class = filters.PersonFilter
    search_fields = ["first_name", "last_name", "email", "phone"]
    ordering_fields = ["last_name", "first_name", "birth_year", "created_at", "id"]

    serializer_class = s.PersonSerializer

    def get_queryset(self) -> QuerySet[Person]:
        return people_visible_to(self.actor).order_by("last_name", "first_name", "id")


@extend_schema_view(list=extend_schema(summary="Partners"), retrieve=extend_schema(summary="One partner"))
class PartnerViewSet(ReadOnlyApiViewSet):
    read_roles = MANAGERS
    serializer_class = s.PartnerSerializer
    filterset_class = filters.PartnerFilter
    search_fields = ["name", "description"]
    ordering_fields = ["name", "kind", "created_at", "id"]

    def get_queryset(self) -> QuerySet[Partner]:
        return partners_visible_to(self.actor).order_by("name", "id")


@extend_schema_view(
    list=extend_schema(summary="Activities (a volunteer's: those they lead)"),
    retrieve=extend_schema(summary="One activity"),
)
class ActivityViewSet(ReadOnlyApiViewSet):
    read_roles = STAFF
    serializer_class = s.ActivitySerializer
    filterset_class = filters.ActivityFilter
    search_fields = ["title", "place", "description"]
    ordering_fields = ["title", "category", "starts_on", "created_at", "id"]

    def get_queryset(self) -> QuerySet[Any]:
        return activities_for_user(actor=self.actor).prefetch_related("leaders").order_by("title", "id")


@extend_schema_view(list=extend_schema(summary="Sessions"), retrieve=extend_schema(summary="One session"))
class SessionViewSet(ReadOnlyApiViewSet):
    read_roles = STAFF
    # The only write here is attendance, which a volunteer takes for the sessions they lead (the service
    # checks that, as on the attendance sheet).
    write_roles = STAFF
    serializer_class = s.SessionSerializer
    filterset_class = filters.SessionFilter
    search_fields = ["activity__title", "place", "note"]
    ordering_fields = ["starts_at", "ends_at", "status", "id"]

    def get_queryset(self) -> QuerySet[Session]:
        return (
            Session.objects.filter(activity__in=activities_for_user(actor=self.actor).values("pk"))
            .select_related("activity")
            .annotate(
                present_count=Count("attendances", filter=Q(attendances__status=AttendanceStatus.PRESENT))
            )
            .order_by("starts_at", "id")
        )

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
        session = get_session_for_user(actor=self.actor, pk=int(pk))
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
        rows = only_visible(Attendance.objects.filter(session=session), actor=self.actor).order_by("id")
        return Response(
            s.AttendanceSaveResultSerializer(
                {"created": result.created, "changed": result.changed, "attendance": rows}
            ).data
        )


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
        registrations = Registration.objects.filter(
            activity__in=activities_for_user(actor=self.actor).values("pk")
        )
        return only_visible(registrations, actor=self.actor).order_by("created_at", "id")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = s.RegistrationCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        activity = activities_for_user(actor=self.actor).filter(pk=given.validated_data["activity"]).first()
        person = people_visible_to(self.actor).filter(pk=given.validated_data["person"]).first()
        # Missing and not-yours get the same 404, as everywhere.
        if activity is None:
            raise NotFound(_("No such activity."))
        if person is None:
            raise NotFound(_("No such person."))
        with domain_errors():
            registration = registration_create(actor=self.actor, activity=activity, person=person)
        return Response(s.RegistrationSerializer(registration).data, status=status.HTTP_201_CREATED)


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
        marks = Attendance.objects.filter(
            session__activity__in=activities_for_user(actor=self.actor).values("pk")
        )
        return only_visible(marks, actor=self.actor).order_by("session_id", "id")


@extend_schema_view(list=extend_schema(summary="Projects"), retrieve=extend_schema(summary="One project"))
class ProjectViewSet(ReadOnlyApiViewSet):
    read_roles = MANAGERS
    serializer_class = s.ProjectSerializer
    filterset_class = filters.ProjectFilter
    search_fields = ["name", "funder_name"]
    ordering_fields = ["name", "starts_on", "ends_on", "id"]

    def get_queryset(self) -> QuerySet[Project]:
        return projects_for_user(actor=self.actor).prefetch_related("activities").order_by("-starts_on", "id")


@extend_schema_view(
    list=extend_schema(summary="Match requests (the waiting list for a friend)"),
    retrieve=extend_schema(summary="One match request"),
)
class MatchRequestViewSet(ReadOnlyApiViewSet):
    read_roles = MANAGERS
    serializer_class = s.MatchRequestSerializer
    filterset_class = filters.MatchRequestFilter
    search_fields = ["person__first_name", "person__last_name", "household__name", "district"]
    ordering_fields = ["created_at", "status", "id"]

    def get_queryset(self) -> QuerySet[MatchRequest]:
        # Every request, not only the open waiting list: filter with ?status=open. The selectors' own
        # lock (managers only) is checked here too, after HasRole's.
        if not can_manage_matching(self.actor):
            return MatchRequest.objects.none()
        return MatchRequest.objects.order_by("created_at", "id")


@extend_schema_view(list=extend_schema(summary="Matches"), retrieve=extend_schema(summary="One match"))
class MatchViewSet(ReadOnlyApiViewSet):
    read_roles = MANAGERS
    serializer_class = s.MatchSerializer
    filterset_class = filters.MatchFilter
    search_fields = ["newcomer_request__person__last_name", "established_request__person__last_name"]
    ordering_fields = ["proposed_on", "started_on", "status", "id"]

    def get_queryset(self) -> QuerySet[Match]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator asks without a user
            return Match.objects.none()
        return matches_for_user(actor=self.actor)


@extend_schema_view(list=extend_schema(summary="Pathways"), retrieve=extend_schema(summary="One pathway"))
class PathwayViewSet(ReadOnlyApiViewSet):
    read_roles = MANAGERS
    serializer_class = s.PathwaySerializer
    filterset_class = filters.PathwayFilter
    search_fields = ["goal", "person__first_name", "person__last_name"]
    ordering_fields = ["stage_on", "stage", "arena", "id"]

    def get_queryset(self) -> QuerySet[Pathway]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator asks without a user
            return Pathway.objects.none()
        return pathways_for_user(actor=self.actor)
