from __future__ import annotations

import uuid

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from billing.models import BillingInterval

request_key_field = forms.CharField(
    widget=forms.HiddenInput,
    max_length=64,
    validators=[RegexValidator(r"^[A-Za-z0-9-]{8,64}$")],
)


def new_request_key() -> str:
    """A fresh key per rendered form: submitting the same form twice reuses one Stripe request."""
    return uuid.uuid4().hex


class SubscribeForm(forms.Form):
    population = forms.IntegerField(
        label=_("Population of the municipality"),
        min_value=1,
        max_value=2_000_000,
        help_text=_("The price tier follows the number of inhabitants."),
    )
    interval = forms.ChoiceField(
        label=_("Pay"),
        choices=BillingInterval.choices,
        widget=forms.RadioSelect,
        initial=BillingInterval.YEAR,
    )
    request_key = request_key_field


class PortalForm(forms.Form):
    request_key = request_key_field
