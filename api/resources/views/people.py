"""Households and people, with what the person's page offers: consent, matching decisions, erasure."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.roles import ADMINS, MANAGERS, STAFF
from api.resources import filters
from api.resources import serializers as s
from api.resources.inputs import people as i
from api.resources.views.base import NO_BODY, ReadOnlyApiViewSet, domain_errors, referenced, validated
from matching.selectors.matching import is_opted_out, matching_opt_out_history
from matching.services.matching import matching_opt_out_record
from people.selectors.people import (
    Purpose,
    get_household_for_actor,
    get_person_for_actor,
    households_visible_to,
    people_visible_to,
)
from people.services.people import (
    MemberInput,
    family_register,
    household_member_add,
    household_member_remove,
    household_update,
    person_create,
    person_update,
)
from privacy.selectors import consent_decisions
from privacy.services import consent_withdraw, person_erase

if TYPE_CHECKING:
    from people.models import Household, Person


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
        return households_visible_to(actor=self.actor).order_by("name", "id")

    def create(self, request: Request) -> Response:
        given = validated(i.FamilySerializer(data=request.data))
        with domain_errors(rows="members"):
            household = family_register(
                actor=self.actor,
                household=given.household_input(),
                members=[MemberInput(person, consents) for person, consents in given.member_inputs()],
                allow_duplicates=given.validated_data["confirm_duplicates"],
            )
        members = people_visible_to(actor=self.actor).order_by(
            "household_role", "birth_year", "first_name", "id"
        )
        family = (
            self.get_queryset().prefetch_related(Prefetch("members", queryset=members)).get(pk=household.pk)
        )
        return Response(
            s.HouseholdWithMembersSerializer(family, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    def partial_update(self, request: Request, pk: str) -> Response:
        household = get_household_for_actor(actor=self.actor, pk=int(pk))
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
        household = get_household_for_actor(actor=self.actor, pk=int(pk))
        given = validated(i.HouseholdMemberSerializer(data=request.data))
        person = referenced(
            lambda: get_person_for_actor(actor=self.actor, pk=given.validated_data["person"]),
            _("No such person."),
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
        return people_visible_to(actor=self.actor).order_by("last_name", "first_name", "id")

    def create(self, request: Request) -> Response:
        given = validated(i.PersonCreateSerializer(data=request.data))
        household_id = given.validated_data.get("household")
        household = (
            referenced(
                lambda: get_household_for_actor(actor=self.actor, pk=household_id), _("No such household.")
            )
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
        person = get_person_for_actor(actor=self.actor, pk=int(pk))
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
        person = get_person_for_actor(actor=self.actor, pk=int(pk))
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
        person = get_person_for_actor(actor=self.actor, pk=int(pk), purpose=Purpose.MANAGE)
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
        person = get_person_for_actor(actor=self.actor, pk=int(pk))
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
        person = get_person_for_actor(actor=self.actor, pk=int(pk), purpose=Purpose.MANAGE)
        return Response(s.ConsentDecisionsSerializer(consent_decisions(person=person)).data)

    def _matching_decisions(self, person: Person, **extra: Any) -> dict[str, Any]:
        history = matching_opt_out_history(actor=self.actor, person=person)
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
        person = get_person_for_actor(actor=self.actor, pk=int(pk), purpose=Purpose.MANAGE)
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
