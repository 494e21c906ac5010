"""Partner organisations and their contact people."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.roles import MANAGERS
from api.resources import filters
from api.resources import serializers as s
from api.resources.inputs import partners as i
from api.resources.views.base import (
    ReadOnlyApiViewSet,
    domain_errors,
    validated,
)
from partners.models import Partner, PartnerContact
from partners.selectors import get_partner_for_actor, partners_visible_to
from partners.services import partner_create, partner_update


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
            partners_visible_to(actor=self.actor)
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
        partner = get_partner_for_actor(actor=self.actor, pk=int(pk))
        given = validated(i.PartnerWriteSerializer(data=request.data, partial=True))
        with domain_errors(rows="contacts"):
            partner_update(
                actor=self.actor,
                partner=partner,
                data=given.partner_input(partner),
                contacts=given.contact_inputs(),
            )
        return self.answer(partner.pk)
