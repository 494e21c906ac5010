"""Reads of donations in the current tenant's schema."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import User
from donations.models import Donation, DonationCampaign, SwishSettings


def swish_settings() -> SwishSettings | None:
    return SwishSettings.objects.first()


def campaigns_public() -> QuerySet[DonationCampaign]:
    return DonationCampaign.objects.filter(is_active=True).order_by("-created", "-id")


def get_public_campaign(pk: int) -> DonationCampaign:
    """An active campaign for the public page; missing and inactive get the same 404."""
    campaign = campaigns_public().filter(pk=pk).first()
    if campaign is None:
        raise Http404
    return campaign


def campaigns_for_user(*, actor: User) -> QuerySet[DonationCampaign]:
    return DonationCampaign.objects.order_by("-is_active", "-created", "-id")


def get_campaign_for_actor(*, actor: User, pk: int) -> DonationCampaign:
    campaign = campaigns_for_user(actor=actor).filter(pk=pk).first()
    if campaign is None:
        raise Http404
    return campaign


def donations_for_user(*, actor: User, limit: int = 50) -> QuerySet[Donation]:
    return Donation.objects.select_related("campaign").order_by("-paid_at", "-id")[:limit]
