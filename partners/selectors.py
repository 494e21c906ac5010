"""Reads of partners: clubs, churches, study associations, employers and municipal units."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from partners.extensions import partner_page_prefetch
from partners.models import Partner, PartnerContact
from people.selectors.people import Actor, sees_register

PARTNER_SORTS: dict[str, tuple[str, ...]] = {
    "name": ("name", "id"),
    "-name": ("-name", "-id"),
    "kind": ("kind", "name", "id"),
    "newest": ("-created_at", "-id"),
}


def partners_visible_to(*, actor: Actor) -> QuerySet[Partner]:
    """Partners and their contact people are the coordinators' working list; volunteers do not see them."""
    if not sees_register(actor):
        return Partner.objects.none()
    return Partner.objects.all()


@dataclass(frozen=True)
class PartnerFilter:
    q: str = ""
    kind: str = ""
    # "yes" / "no" / ""
    active: str = ""
    sort: str = "name"


def partners_list(*, actor: Actor, filters: PartnerFilter) -> QuerySet[Partner]:
    partners = partners_visible_to(actor=actor).prefetch_related(
        Prefetch("contacts", queryset=PartnerContact.objects.order_by("name", "id"))
    )
    for term in filters.q.split()[:6]:
        partners = partners.filter(
            Q(name__icontains=term)
            | Q(description__icontains=term)
            | Q(contacts__name__icontains=term)
            | Q(email__icontains=term)
        )
    if filters.q.split():
        partners = partners.distinct()
    if filters.kind:
        partners = partners.filter(kind=filters.kind)
    if filters.active:
        partners = partners.filter(is_active=filters.active == "yes")
    return partners.order_by(*PARTNER_SORTS.get(filters.sort, PARTNER_SORTS["name"]))


def get_partner_for_actor(*, actor: Actor, pk: int) -> Partner:
    partner = partners_visible_to(actor=actor).filter(pk=pk).first()
    if partner is None:
        raise Http404
    return partner


def partner_page(*, actor: Actor, pk: int) -> Partner:
    """A partner with its contacts and what the apps above add (``partners.extensions``): three queries."""
    partners = partners_visible_to(actor=actor).prefetch_related(
        Prefetch("contacts", queryset=PartnerContact.objects.order_by("name", "id"))
    )
    for prefetch in partner_page_prefetch:
        partners = prefetch(partners)
    partner = partners.filter(pk=pk).first()
    if partner is None:
        raise Http404
    return partner
