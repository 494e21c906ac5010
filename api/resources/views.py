"""The viewsets of /api/v1/. Each declares the roles that may read and write, as the pages do (HasRole),
starts its queryset from the selector the pages use, so the API never shows more than the UI, and writes
through the services the pages call, so the API never allows more than the UI either.

A write looks up the record with the pages' own access helper first (missing and not-yours: the same
404), then checks the body's shape (400), then calls one service; its refusal is a 409.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar, cast

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, NotFound
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from accounts.models import User
from accounts.roles import ADMINS, MANAGERS, STAFF, Role
from activities.models import Activity, Attendance, AttendanceStatus, Project, Registration, Session
from activities.selectors.activities import (
    activities_for_user,
    get_activity_for_user,
    get_session_for_user,
    leader_choices,
    only_visible,
)
from activities.selectors.projects import get_project_for_user, get_reporting_date_for_user, projects_for_user
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
from api.resources import inputs as i
from api.resources import serializers as s
from api.resources.schema import ApiSchema
from core.errors import CoreError
from matching.models import DistrictNeighbour, Match, MatchRequest, Pathway
from matching.selectors.matching import (
    can_manage_matching,
    check_ins_due,
    district_neighbours,
    get_check_in_for_user,
    get_match_for_user,
    get_match_request_for_user,
    get_person_for_matching,
    is_opted_out,
    matches_for_user,
)
from matching.selectors.pathways import get_pathway_for_user, pathway_partners, pathways_for_user
from matching.services.matching import (
    MatchingError,
    check_in_complete,
    district_neighbour_add,
    district_neighbour_remove,
    match_activate,
    match_contact_log,
    match_end,
    match_first_meeting_book,
    match_propose,
    match_request_create,
    match_request_withdraw,
    matching_opt_out_record,
)
from matching.services.pathways import PathwayError, pathway_create, pathway_stage_change
from partners.models import Partner, PartnerContact
from partners.selectors import get_partner_for_user, partners_visible_to
from partners.services import PartnerError, partner_create, partner_update
from people.models import Household, Person
from people.selectors.people import (
    get_household_for_user,
    get_person_for_user,
    households_visible_to,
    people_visible_to,
)
from people.services.people import (
    DuplicatePeopleError,
    MemberInput,
    PeopleError,
    family_register,
    household_member_add,
    household_member_remove,
    household_update,
    person_create,
    person_update,
)
from privacy.selectors import consent_decisions, get_person_for_privacy
from privacy.services import PrivacyError, consent_withdraw, person_erase

DOMAIN_ERRORS = (CoreError, PeopleError, PartnerError, PathwayError, MatchingError, PrivacyError)

T = TypeVar("T")
S = TypeVar("S", bound=BaseSerializer[Any])


class RuleRefused(APIException):
    """A rule of the work refused a well-formed request (a full activity's rules, a cancelled session,
    someone already registered): the request conflicts with the current state, so 409, not 400.

    ``fields`` names the input the refusal is about, when the service said (api.errors shows it)."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"

    def __init__(self, detail: str, fields: dict[str, Any] | None = None) -> None:
        super().__init__(detail)
        self.fields = fields


def _refusal_fields(exc: Exception, rows: str | None) -> dict[str, Any] | None:
    """Where a refusal belongs: the field the service named (``rows.<index>.<field>`` for a row of a
    list, e.g. a family's members), or for possible duplicates, who they are (ids the user may see)."""
    if isinstance(exc, DuplicatePeopleError):
        found = {
            index: sorted(match.person.pk for match in matches) for index, matches in exc.matches.items()
        }
        if rows is None:
            return {"duplicates": sorted({pk for pks in found.values() for pk in pks})}
        return {"duplicates": {f"{rows}.{index}": pks for index, pks in sorted(found.items())}}
    field = getattr(exc, "field", None)
    index = getattr(exc, "index", None)
    if rows is not None and index is not None:
        return {f"{rows}.{index}.{field or 'non_field_errors'}": [str(exc)]}
    return {field: [str(exc)]} if field else None


@contextmanager
def domain_errors(*, rows: str | None = None) -> Iterator[None]:
    """The services' domain exceptions as a 409 in the API's one error shape, with their message."""
    try:
        yield
    except DOMAIN_ERRORS as exc:
        raise RuleRefused(str(getattr(exc, "message", exc)), _refusal_fields(exc, rows)) from exc


def referenced(lookup: Callable[[], T], message: str) -> T:
    """A record named in the request body, through the pages' access helper: missing and not-yours are
    the same 404, with a message that says which reference it was."""
    try:
        return lookup()
    except (Http404, ObjectDoesNotExist):
        raise NotFound(message) from None


def validated(serializer: S) -> S:
    """The body checked against its serializer: 400 with the messages per field when it does not fit."""
    serializer.is_valid(raise_exception=True)
    return serializer


class ApiViewSet(viewsets.GenericViewSet[Any]):
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

    def answer(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        """The record as the list shows it (same selector, same annotations), after a write."""
        return Response(self.get_serializer(self.get_queryset().get(pk=pk)).data, status=code)

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


# Each write names its own success answer; ApiSchema adds the errors (400, 401, 403, 404, 409, 429).
NO_BODY = OpenApiResponse(description="Done; nothing to show.")


@extend_schema_view(
    list=extend_schema(summary="Households the user may see"),
    retrieve=extend_schema(summary="One household"),
    create=extend_schema(
        summary="Register a family: the household and all its members at once",
        description=(
            "All members are saved, or none. Possible duplicates in the register are refused with 409 "
            "and their ids (fields.duplicates, per member); send confirm_duplicates to save anyway."
        ),
        request=i.FamilySerializer,
        responses={201: s.HouseholdWithMembersSerializer},
    ),
    partial_update=extend_schema(
        summary="Change a household's name, district or notes",
        request=i.HouseholdWriteSerializer,
        responses={200: s.HouseholdSerializer},
    ),
)
class HouseholdViewSet(ReadOnlyApiViewSet):
    read_roles = STAFF
    write_roles = MANAGERS
    serializer_class = s.HouseholdSerializer
    filterset_class = filters.HouseholdFilter
    search_fields = ["name", "district"]
    ordering_fields = ["name", "district", "created_at", "id"]

    def get_queryset(self) -> QuerySet[Household]:
        return households_visible_to(self.actor).order_by("name", "id")

    def create(self, request: Request) -> Response:
        given = validated(i.FamilySerializer(data=request.data))
        with domain_errors(rows="members"):
            household = family_register(
                actor=self.actor,
                household=given.household_input(),
                members=[MemberInput(person, consents) for person, consents in given.member_inputs()],
                allow_duplicates=given.validated_data["confirm_duplicates"],
            )
        members = people_visible_to(self.actor).order_by("household_role", "birth_year", "first_name", "id")
        family = (
            self.get_queryset().prefetch_related(Prefetch("members", queryset=members)).get(pk=household.pk)
        )
        return Response(
            s.HouseholdWithMembersSerializer(family, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    def partial_update(self, request: Request, pk: str) -> Response:
        household = get_household_for_user(self.actor, int(pk))
        given = validated(i.HouseholdWriteSerializer(data=request.data, partial=True))
        with domain_errors():
            household_update(actor=self.actor, household=household, data=given.household_input(household))
        return self.answer(household.pk)

    @extend_schema(
        summary="Add a registered person to this household",
        request=i.HouseholdMemberSerializer,
        responses={200: s.PersonSerializer},
        filters=False,
    )
    @action(detail=True, methods=["post"], url_path="members")
    def members(self, request: Request, pk: str) -> Response:
        household = get_household_for_user(self.actor, int(pk))
        given = validated(i.HouseholdMemberSerializer(data=request.data))
        person = referenced(
            lambda: get_person_for_user(self.actor, given.validated_data["person"]), _("No such person.")
        )
        with domain_errors():
            household_member_add(actor=self.actor, household=household, person=person)
        return Response(s.PersonSerializer(person, context=self.get_serializer_context()).data)


@extend_schema_view(
    list=extend_schema(
        summary="People the user may see",
        description="Volunteers see the people of the activities they lead, never a protected identity.",
    ),
    retrieve=extend_schema(summary="One person"),
    create=extend_schema(
        summary="Register a person",
        description=(
            "Possible duplicates in the register (same name and birth year, phone or e-mail) are refused "
            "with 409 and their ids in fields.duplicates; send confirm_duplicates to save anyway. Consent "
            "for a child under 13 needs guardian_name."
        ),
        request=i.PersonCreateSerializer,
        responses={201: s.PersonSerializer},
    ),
    partial_update=extend_schema(
        summary="Change a person",
        description=(
            "Only the fields given change. A new birth_date without birth_year sets the year from the date; "
            "birth_date null keeps the year. "
            "consents records a new decision for each purpose named."
        ),
        request=i.PersonWriteSerializer,
        responses={200: s.PersonSerializer},
    ),
)
class PersonViewSet(ReadOnlyApiViewSet):
    read_roles = STAFF
    write_roles = MANAGERS
    filterset_class = filters.PersonFilter
    search_fields = ["first_name", "last_name", "email", "phone"]
    ordering_fields = ["last_name", "first_name", "birth_year", "created_at", "id"]

    serializer_class = s.PersonSerializer

    def get_queryset(self) -> QuerySet[Person]:
        return people_visible_to(self.actor).order_by("last_name", "first_name", "id")

    def create(self, request: Request) -> Response:
        given = validated(i.PersonCreateSerializer(data=request.data))
        household_id = given.validated_data.get("household")
        household = (
            referenced(lambda: get_household_for_user(self.actor, household_id), _("No such household."))
            if household_id
            else None
        )
        with domain_errors():
            person = person_create(
                actor=self.actor,
                data=given.person_input(),
                consents=given.consent_input(),
                household=household,
                allow_duplicates=given.validated_data["confirm_duplicates"],
            )
        return self.answer(person.pk, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        person = get_person_for_user(self.actor, int(pk))
        given = validated(i.PersonWriteSerializer(data=request.data, partial=True))
        with domain_errors():
            person_update(
                actor=self.actor,
                person=person,
                data=given.person_input(person),
                consents=given.consent_input(),
            )
        return self.answer(person.pk)

    @extend_schema(
        summary="Take a person out of their household",
        request=None,
        responses={200: s.PersonSerializer},
        filters=False,
    )
    @action(detail=True, methods=["post"], url_path="leave-household")
    def leave_household(self, request: Request, pk: str) -> Response:
        person = get_person_for_user(self.actor, int(pk))
        with domain_errors():
            household_member_remove(actor=self.actor, person=person)
        return self.answer(person.pk)

    @extend_schema(
        summary="Erase (anonymise) a person, at their request",
        description=(
            "Administrators only, confirmed with RADERA, as on the person's erasure page. The name and "
            "contact details are removed for good; attendance and the rest stay for statistics."
        ),
        request=i.PersonEraseSerializer,
        responses={204: NO_BODY},
        filters=False,
    )
    @action(detail=True, methods=["post"], url_path="erase", write_roles=ADMINS)
    def erase(self, request: Request, pk: str) -> Response:
        person = get_person_for_privacy(actor=self.actor, pk=int(pk))
        given = validated(i.PersonEraseSerializer(data=request.data))
        with domain_errors():
            person_erase(actor=self.actor, person=person, confirmation=given.validated_data["confirmation"])
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Withdraw a person's consent for one purpose",
        description=(
            "In force at once, as on the person's page: a new decision 'not given' is recorded (no guardian "
            "needed to withdraw) and the withdrawal is written to the audit log."
        ),
        request=i.ConsentWithdrawSerializer,
        responses={201: s.ConsentSerializer},
        filters=False,
    )
    @action(detail=True, methods=["post"], url_path="withdraw-consent")
    def withdraw_consent(self, request: Request, pk: str) -> Response:
        person = get_person_for_user(self.actor, int(pk))
        given = validated(i.ConsentWithdrawSerializer(data=request.data))
        with domain_errors():
            consent = consent_withdraw(
                actor=self.actor, person=person, purpose=given.validated_data["purpose"]
            )
        return Response(s.ConsentSerializer(consent).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="A person's consent: the decision in force per purpose, and every decision",
        description=(
            "As on the person's page: for each purpose the newest decision is in force (null: never "
            "asked), given or not, when, by whom, and the guardian who decided for a child under 13; then "
            "every decision recorded, newest first. Administrators and coordinators, as the person's "
            "privacy page."
        ),
        request=None,
        responses={200: s.ConsentDecisionsSerializer},
        filters=False,
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="consents",
        read_roles=frozenset(MANAGERS),
        pagination_class=None,
    )
    def consents(self, request: Request, pk: str) -> Response:
        person = get_person_for_privacy(actor=self.actor, pk=int(pk))
        return Response(s.ConsentDecisionsSerializer(consent_decisions(person=person)).data)

    def _matching_decisions(self, person: Person, **extra: Any) -> dict[str, Any]:
        history = person.matching_opt_outs.order_by("-recorded_at", "-id")
        return {"opted_out": is_opted_out(person), "history": history, **extra}

    @extend_schema(
        methods=["GET"],
        summary="A person's decisions about being matched",
        request=None,
        responses={200: s.MatchingDecisionsSerializer},
        filters=False,
    )
    @extend_schema(
        methods=["POST"],
        summary="Record a person's decision about being matched",
        description=(
            "The newest decision is in force. Saying no withdraws their waiting match requests; matches "
            "already proposed or running are left to the coordinator, who ends them with a reason."
        ),
        request=i.MatchingOptOutWriteSerializer,
        responses={201: s.MatchingDecisionResultSerializer},
        filters=False,
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="matching-opt-out",
        read_roles=MANAGERS,
        write_roles=MANAGERS,
        pagination_class=None,
    )
    def matching_opt_out(self, request: Request, pk: str) -> Response:
        person = get_person_for_matching(self.actor, int(pk))
        if request.method == "GET":
            return Response(s.MatchingDecisionsSerializer(self._matching_decisions(person)).data)
        data = validated(i.MatchingOptOutWriteSerializer(data=request.data)).validated_data
        with domain_errors():
            withdrawn = matching_opt_out_record(
                actor=self.actor, person=person, opted_out=data["opted_out"], note=data.get("note", "")
            )
        return Response(
            s.MatchingDecisionResultSerializer(
                self._matching_decisions(person, withdrawn_requests=withdrawn)
            ).data,
            status=status.HTTP_201_CREATED,
        )


@extend_schema_view(
    list=extend_schema(summary="Partners"),
    retrieve=extend_schema(summary="One partner"),
    create=extend_schema(
        summary="Add a partner with its contact people",
        request=i.PartnerWriteSerializer,
        responses={201: s.PartnerSerializer},
    ),
    partial_update=extend_schema(
        summary="Change a partner (is_active false: no longer working with them)",
        description="Contact rows: without id added, with id changed, with delete removed; others stay.",
        request=i.PartnerWriteSerializer,
        responses={200: s.PartnerSerializer},
    ),
)
class PartnerViewSet(ReadOnlyApiViewSet):
    read_roles = MANAGERS
    write_roles = MANAGERS
    serializer_class = s.PartnerSerializer
    filterset_class = filters.PartnerFilter
    search_fields = ["name", "description"]
    ordering_fields = ["name", "kind", "created_at", "id"]

    def get_queryset(self) -> QuerySet[Partner]:
        contacts = PartnerContact.objects.order_by("name", "id")
        return (
            partners_visible_to(self.actor)
            .prefetch_related(Prefetch("contacts", queryset=contacts))
            .order_by("name", "id")
        )

    def create(self, request: Request) -> Response:
        given = validated(i.PartnerWriteSerializer(data=request.data))
        with domain_errors(rows="contacts"):
            partner = partner_create(
                actor=self.actor, data=given.partner_input(), contacts=given.contact_inputs()
            )
        return self.answer(partner.pk, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        partner = get_partner_for_user(self.actor, int(pk))
        given = validated(i.PartnerWriteSerializer(data=request.data, partial=True))
        with domain_errors(rows="contacts"):
            partner_update(
                actor=self.actor,
                partner=partner,
                data=given.partner_input(partner),
                contacts=given.contact_inputs(),
            )
        return self.answer(partner.pk)


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
                    lambda: partners_visible_to(self.actor).filter(is_active=True).get(pk=partner_id),
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
        activity = get_activity_for_user(actor=self.actor, pk=int(pk))
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
        activity = get_activity_for_user(actor=self.actor, pk=int(pk))
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
        session = get_session_for_user(actor=self.actor, pk=int(pk))
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
        session = get_session_for_user(actor=self.actor, pk=int(pk))
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
        marks = Attendance.objects.filter(
            session__activity__in=activities_for_user(actor=self.actor).values("pk")
        )
        return only_visible(marks, actor=self.actor).order_by("session_id", "id")


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
        project = get_project_for_user(actor=self.actor, pk=int(pk))
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
        project = get_project_for_user(actor=self.actor, pk=int(pk))
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
        project = get_project_for_user(actor=self.actor, pk=int(pk))
        reporting_date = get_reporting_date_for_user(actor=self.actor, project=project, pk=int(date_pk))
        done = validated(i.ReportingDateDoneSerializer(data=request.data)).validated_data["done"]
        reporting_date_set_done(actor=self.actor, reporting_date=reporting_date, done=done)
        return Response(s.ReportingDateSerializer(reporting_date).data)


@extend_schema_view(
    list=extend_schema(summary="Match requests (the waiting list for a friend)"),
    retrieve=extend_schema(summary="One match request"),
    create=extend_schema(
        summary="Put a person, or their whole family, on the waiting list for a match",
        description="What is left out is taken from the person and the family, as on the request form.",
        request=i.MatchRequestCreateSerializer,
        responses={201: s.MatchRequestSerializer},
    ),
)
class MatchRequestViewSet(ReadOnlyApiViewSet):
    read_roles = MANAGERS
    write_roles = MANAGERS
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

    def create(self, request: Request) -> Response:
        given = validated(i.MatchRequestCreateSerializer(data=request.data))
        data = given.validated_data
        person = referenced(lambda: get_person_for_matching(self.actor, data["person"]), _("No such person."))
        if data["for_household"] and person.household is None:
            # The form offers the family request only for someone in a household; never a silent downgrade.
            message = _("%(person)s does not belong to a household.") % {"person": person}
            raise RuleRefused(message, {"for_household": [message]})
        with domain_errors():
            match_request = match_request_create(
                actor=self.actor,
                person=person,
                household=person.household if data["for_household"] else None,
                **given.request_arguments(),
            )
        return self.answer(match_request.pk, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Withdraw a waiting request, with the reason",
        request=i.WithdrawSerializer,
        responses={200: s.MatchRequestSerializer},
        filters=False,
    )
    @action(detail=True, methods=["post"], url_path="withdraw")
    def withdraw(self, request: Request, pk: str) -> Response:
        match_request = get_match_request_for_user(self.actor, int(pk))
        given = validated(i.WithdrawSerializer(data=request.data))
        with domain_errors():
            match_request_withdraw(
                actor=self.actor, match_request=match_request, reason=given.validated_data["reason"]
            )
        return self.answer(match_request.pk)


@extend_schema_view(
    list=extend_schema(summary="Matches"),
    retrieve=extend_schema(summary="One match"),
    create=extend_schema(
        summary="Propose a match between two waiting requests",
        description=(
            "A newcomer request and an established request of the same kind; the rules of the suggestions "
            "hold (never the same household, anyone who said no, a protected identity without consent to "
            "sharing, a pair matched before …). You become the pair's coordinator."
        ),
        request=i.ProposeSerializer,
        responses={201: s.MatchSerializer},
    ),
)
class MatchViewSet(ReadOnlyApiViewSet):
    read_roles = MANAGERS
    write_roles = MANAGERS
    serializer_class = s.MatchSerializer
    filterset_class = filters.MatchFilter
    search_fields = ["newcomer_request__person__last_name", "established_request__person__last_name"]
    ordering_fields = ["proposed_on", "started_on", "status", "id"]

    def get_queryset(self) -> QuerySet[Match]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator asks without a user
            return Match.objects.none()
        return matches_for_user(actor=self.actor)

    def create(self, request: Request) -> Response:
        given = validated(i.ProposeSerializer(data=request.data))
        data = given.validated_data
        match_request = referenced(
            lambda: get_match_request_for_user(self.actor, data["match_request"]), _("No such match request.")
        )
        candidate = referenced(
            lambda: get_match_request_for_user(self.actor, data["candidate"]), _("No such match request.")
        )
        with domain_errors():
            match = match_propose(
                actor=self.actor, match_request=match_request, candidate=candidate, note=data.get("note", "")
            )
        return self.answer(match.pk, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Start a proposed match: the pair said yes",
        description="Check-ins are planned at 1, 3 and 6 months.",
        request=i.MatchActivateSerializer,
        responses={200: s.MatchSerializer},
        filters=False,
    )
    @action(detail=True, methods=["post"], url_path="activate")
    def activate(self, request: Request, pk: str) -> Response:
        match = get_match_for_user(self.actor, int(pk))
        given = validated(i.MatchActivateSerializer(data=request.data))
        with domain_errors():
            match_activate(actor=self.actor, match=match, started_on=given.validated_data.get("started_on"))
        return self.answer(match.pk)

    @extend_schema(
        summary="End a match, with the reason",
        description="A proposal that ends before it started puts both requests back on the waiting list.",
        request=i.MatchEndSerializer,
        responses={200: s.MatchSerializer},
        filters=False,
    )
    @action(detail=True, methods=["post"], url_path="end")
    def end(self, request: Request, pk: str) -> Response:
        match = get_match_for_user(self.actor, int(pk))
        data = validated(i.MatchEndSerializer(data=request.data)).validated_data
        with domain_errors():
            match_end(
                actor=self.actor,
                match=match,
                reason=data["reason"],
                note=data.get("note", ""),
                ended_on=data.get("ended_on"),
            )
        return self.answer(match.pk)

    @extend_schema(
        summary="Book the pair's first meeting",
        request=i.FirstMeetingSerializer,
        responses={200: s.MatchSerializer},
        filters=False,
    )
    @action(detail=True, methods=["post"], url_path="first-meeting")
    def first_meeting(self, request: Request, pk: str) -> Response:
        match = get_match_for_user(self.actor, int(pk))
        data = validated(i.FirstMeetingSerializer(data=request.data)).validated_data
        with domain_errors():
            match_first_meeting_book(actor=self.actor, match=match, at=data["at"], place=data["place"])
        return self.answer(match.pk)

    @extend_schema(
        summary="Log a contact of the pair (met, phoned, an activity together)",
        request=i.ContactLogSerializer,
        responses={201: s.MatchContactSerializer},
        filters=False,
    )
    @action(detail=True, methods=["post"], url_path="contacts")
    def contacts(self, request: Request, pk: str) -> Response:
        match = get_match_for_user(self.actor, int(pk))
        data = validated(i.ContactLogSerializer(data=request.data)).validated_data
        with domain_errors():
            contact = match_contact_log(
                actor=self.actor,
                match=match,
                kind=data["kind"],
                happened_on=data.get("happened_on") or timezone.localdate(),
                note=data.get("note", ""),
            )
        return Response(s.MatchContactSerializer(contact).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Check-ins due across all matches, as on the matching page",
        description=(
            "Planned check-ins of active matches due on or before due_by (today when left out), earliest "
            "first, with the pair's names. Note one as done with POST "
            "matches/{match}/check-ins/{id}/done/."
        ),
        parameters=[i.CheckInsDueQuerySerializer],
        request=None,
        responses={200: s.CheckInDueSerializer(many=True)},
        filters=False,
    )
    @action(detail=False, methods=["get"], url_path="check-ins-due", filter_backends=[])
    def due_check_ins(self, request: Request) -> Response:
        query = validated(i.CheckInsDueQuerySerializer(data=request.query_params)).validated_data
        page = self.paginate_queryset(check_ins_due(actor=self.actor, today=query.get("due_by")))
        return self.get_paginated_response(s.CheckInDueSerializer(page, many=True).data)

    @extend_schema(
        summary="A match's check-ins (planned at 1, 3 and 6 months after the start)",
        request=None,
        responses={200: s.CheckInSerializer(many=True)},
        filters=False,
    )
    @action(detail=True, methods=["get"], url_path="check-ins", filter_backends=[], pagination_class=None)
    def check_ins(self, request: Request, pk: str) -> Response:
        match = get_match_for_user(self.actor, int(pk))
        return Response(s.CheckInSerializer(match.check_ins.order_by("due_on", "id"), many=True).data)

    @extend_schema(
        summary="Note a planned check-in as done, with how the pair is doing",
        request=i.CheckInDoneSerializer,
        responses={200: s.CheckInSerializer},
        filters=False,
    )
    @action(detail=True, methods=["post"], url_path="check-ins/<int:check_in_pk>/done")
    def check_in_done(self, request: Request, pk: str, check_in_pk: str) -> Response:
        match = get_match_for_user(self.actor, int(pk))
        check_in = get_check_in_for_user(self.actor, match, int(check_in_pk))
        note = validated(i.CheckInDoneSerializer(data=request.data)).validated_data["note"]
        with domain_errors():
            done = check_in_complete(actor=self.actor, check_in=check_in, note=note)
        return Response(s.CheckInSerializer(done).data)


@extend_schema_view(
    list=extend_schema(summary="Pathways"),
    retrieve=extend_schema(summary="One pathway"),
    create=extend_schema(
        summary="Start a pathway at the interest stage",
        request=i.PathwayCreateSerializer,
        responses={201: s.PathwaySerializer},
    ),
)
class PathwayViewSet(ReadOnlyApiViewSet):
    read_roles = MANAGERS
    write_roles = MANAGERS
    serializer_class = s.PathwaySerializer
    filterset_class = filters.PathwayFilter
    search_fields = ["goal", "person__first_name", "person__last_name"]
    ordering_fields = ["stage_on", "stage", "arena", "id"]

    def get_queryset(self) -> QuerySet[Pathway]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator asks without a user
            return Pathway.objects.none()
        return pathways_for_user(actor=self.actor)

    def _partner(self, partner_id: int | None) -> Partner | None:
        if not partner_id:
            return None
        return referenced(lambda: pathway_partners().get(pk=partner_id), _("No such partner."))

    def create(self, request: Request) -> Response:
        data = validated(i.PathwayCreateSerializer(data=request.data)).validated_data
        person = referenced(lambda: get_person_for_matching(self.actor, data["person"]), _("No such person."))
        partner = self._partner(data.get("partner"))
        with domain_errors():
            pathway = pathway_create(
                actor=self.actor,
                person=person,
                arena=data["arena"],
                goal=data["goal"],
                partner=partner,
                interest_on=data.get("interest_on"),
                note=data.get("note", ""),
            )
        return self.answer(pathway.pk, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Move a pathway one stage on, or end it with the reason",
        description=(
            "interest → referred → started → established (with an outcome); from any open stage to ended "
            "(with an end_reason). One step at a time, dated, never back; a partner is needed from the "
            "referral on."
        ),
        request=i.PathwayStageSerializer,
        responses={200: s.PathwaySerializer},
        filters=False,
    )
    @action(detail=True, methods=["post"], url_path="stage")
    def stage(self, request: Request, pk: str) -> Response:
        pathway = get_pathway_for_user(self.actor, int(pk))
        data = validated(i.PathwayStageSerializer(data=request.data)).validated_data
        partner = self._partner(data.get("partner"))
        with domain_errors():
            pathway_stage_change(
                actor=self.actor,
                pathway=pathway,
                stage=data["stage"],
                on=data.get("on"),
                partner=partner,
                outcome=data.get("outcome", ""),
                end_reason=data.get("end_reason", ""),
                note=data.get("note", ""),
            )
        return self.answer(pathway.pk)


@extend_schema_view(
    list=extend_schema(summary="Districts marked as near each other (matching counts them as close)"),
    retrieve=extend_schema(summary="One pair of neighbouring districts"),
    create=extend_schema(
        summary="Mark two districts as near each other",
        description="Stored once, in lower case, read both ways.",
        request=i.DistrictNeighbourWriteSerializer,
        responses={201: s.DistrictNeighbourSerializer},
    ),
    destroy=extend_schema(
        summary="The two districts are no longer near each other", responses={204: NO_BODY}
    ),
)
class DistrictNeighbourViewSet(ReadOnlyApiViewSet):
    read_roles = MANAGERS
    write_roles = MANAGERS
    serializer_class = s.DistrictNeighbourSerializer
    search_fields = ["district_a", "district_b"]
    ordering_fields = ["district_a", "district_b", "created_at", "id"]

    def get_queryset(self) -> QuerySet[DistrictNeighbour]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator asks without a user
            return DistrictNeighbour.objects.none()
        return district_neighbours(actor=self.actor).order_by("district_a", "district_b", "id")

    def create(self, request: Request) -> Response:
        data = validated(i.DistrictNeighbourWriteSerializer(data=request.data)).validated_data
        with domain_errors():
            pair = district_neighbour_add(
                actor=self.actor, district=data["district"], neighbour=data["neighbour"]
            )
        return self.answer(pair.pk, status.HTTP_201_CREATED)

    def destroy(self, request: Request, pk: str) -> Response:
        pair = get_object_or_404(district_neighbours(actor=self.actor), pk=int(pk))
        district_neighbour_remove(actor=self.actor, pair=pair)
        return Response(status=status.HTTP_204_NO_CONTENT)
