"""Friend matching (requests, matches, check-ins, neighbouring districts) and pathways."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.roles import MANAGERS
from api.query import query_params
from api.resources import filters
from api.resources import serializers as s
from api.resources.inputs import matching as i
from api.resources.views.base import (
    NO_BODY,
    ReadOnlyApiViewSet,
    RuleRefused,
    domain_errors,
    referenced,
    validated,
)
from matching.selectors.matching import (
    check_ins_due,
    district_neighbours,
    get_check_in_for_actor,
    get_match_for_actor,
    get_match_request_for_actor,
    match_check_ins,
    match_requests_for_user,
    matches_for_user,
)
from matching.selectors.pathways import get_pathway_for_actor, pathway_partners, pathways_for_user
from matching.services.matching import (
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
)
from matching.services.pathways import pathway_create, pathway_stage_change
from people.selectors.people import Purpose, get_person_for_actor

if TYPE_CHECKING:
    from matching.models import DistrictNeighbour, Match, MatchRequest, Pathway
    from partners.models import Partner


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
        if self.for_schema:
            return self.no_rows()
        # Every request, not only the open waiting list: filter with ?status=open.
        return match_requests_for_user(actor=self.actor)

    def create(self, request: Request) -> Response:
        given = validated(i.MatchRequestCreateSerializer(data=request.data))
        data = given.validated_data
        person = referenced(
            lambda: get_person_for_actor(actor=self.actor, pk=data["person"], purpose=Purpose.MANAGE),
            _("No such person."),
        )
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
        match_request = get_match_request_for_actor(actor=self.actor, pk=int(pk))
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
        if self.for_schema:
            return self.no_rows()
        return matches_for_user(actor=self.actor)

    def create(self, request: Request) -> Response:
        given = validated(i.ProposeSerializer(data=request.data))
        data = given.validated_data
        match_request = referenced(
            lambda: get_match_request_for_actor(actor=self.actor, pk=data["match_request"]),
            _("No such match request."),
        )
        candidate = referenced(
            lambda: get_match_request_for_actor(actor=self.actor, pk=data["candidate"]),
            _("No such match request."),
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
        match = get_match_for_actor(actor=self.actor, pk=int(pk))
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
        match = get_match_for_actor(actor=self.actor, pk=int(pk))
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
        match = get_match_for_actor(actor=self.actor, pk=int(pk))
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
        match = get_match_for_actor(actor=self.actor, pk=int(pk))
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
        query = validated(i.CheckInsDueQuerySerializer(data=query_params(request))).validated_data
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
        match = get_match_for_actor(actor=self.actor, pk=int(pk))
        return Response(s.CheckInSerializer(match_check_ins(actor=self.actor, match=match), many=True).data)

    @extend_schema(
        summary="Note a planned check-in as done, with how the pair is doing",
        request=i.CheckInDoneSerializer,
        responses={200: s.CheckInSerializer},
        filters=False,
    )
    @action(detail=True, methods=["post"], url_path="check-ins/<int:check_in_pk>/done")
    def check_in_done(self, request: Request, pk: str, check_in_pk: str) -> Response:
        match = get_match_for_actor(actor=self.actor, pk=int(pk))
        check_in = get_check_in_for_actor(actor=self.actor, match=match, pk=int(check_in_pk))
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
        if self.for_schema:
            return self.no_rows()
        return pathways_for_user(actor=self.actor)

    def _partner(self, partner_id: int | None) -> Partner | None:
        if not partner_id:
            return None
        return referenced(lambda: pathway_partners().get(pk=partner_id), _("No such partner."))

    def create(self, request: Request) -> Response:
        data = validated(i.PathwayCreateSerializer(data=request.data)).validated_data
        person = referenced(
            lambda: get_person_for_actor(actor=self.actor, pk=data["person"], purpose=Purpose.MANAGE),
            _("No such person."),
        )
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
        pathway = get_pathway_for_actor(actor=self.actor, pk=int(pk))
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
        if self.for_schema:
            return self.no_rows()
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
