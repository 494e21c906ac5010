"""Partner organisations and their contact people."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.roles import MANAGERS
from api.resources import filters
from api.resources import serializers as s
from api.resources.inputs import partners as i
from api.resources.views.base import ReadOnlyApiViewSet, domain_errors, validated
from partners.selectors import PartnerFilter as PartnerListFilter
from partners.selectors import get_partner_for_actor, partners_list
from partners.services import partner_create, partner_update

if TYPE_CHECKING:
    from partners.models import Partner


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
        # The partner page's list with none of its filters: the API's own filters and search apply on top.
        return partners_list(actor=self.actor, filters=PartnerListFilter())

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
