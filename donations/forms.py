from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from billing.forms import request_key_field
from donations.models import (
    MAX_DONATION_SEK,
    SWISH_MESSAGE_MAX,
    DonationCampaign,
    validate_swish_message,
    validate_swish_number,
)
from donations.services import MIN_CARD_DONATION_SEK


class SwishSettingsForm(forms.Form):
    swish_number = forms.CharField(
        label=_("Swish number"),
        max_length=20,
        validators=[validate_swish_number],
        help_text=_("e.g. 123 456 78 90, or a 90-account's 900 1223"),
    )
    payee_name = forms.CharField(label=_("Name shown to donors"), max_length=100, required=False)


class CampaignForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100)
    description = forms.CharField(
        label=_("Description"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    amount_sek = forms.IntegerField(
        label=_("Suggested amount (SEK)"),
        min_value=1,
        max_value=MAX_DONATION_SEK,
        required=False,
        help_text=_("Empty: the donor chooses."),
    )
    message = forms.CharField(
        label=_("Swish message"),
        max_length=SWISH_MESSAGE_MAX,
        required=False,
        validators=[validate_swish_message],
        help_text=_("Shown in the donor's Swish app. At most 50 characters."),
    )


class CampaignActiveForm(forms.Form):
    active = forms.BooleanField(required=False)


class CardDonationForm(forms.Form):
    amount_sek = forms.IntegerField(
        label=_("Amount (SEK)"), min_value=MIN_CARD_DONATION_SEK, max_value=MAX_DONATION_SEK, initial=200
    )
    campaign = forms.ModelChoiceField(
        label=_("For"),
        queryset=DonationCampaign.objects.none(),
        required=False,
        empty_label=_("The network's work in general"),
    )
    request_key = request_key_field

    def __init__(self, *args: object, campaigns: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if campaigns is not None:
            self.fields["campaign"].queryset = campaigns  # type: ignore[attr-defined]
