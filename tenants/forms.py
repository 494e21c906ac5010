from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from tenants.municipalities import municipalities_by_county, municipality_by_code
from tenants.slugs import SLUG_MAX_LENGTH, slug_fold


def _municipality_choices() -> list[Any]:
    grouped: list[Any] = [("", _("Choose your municipality"))]
    for county, members in municipalities_by_county():
        grouped.append((county, [(m.code, m.name) for m in members]))
    return grouped


class SignupForm(forms.Form):
    """The sign-up form's shape; the rules about addresses and municipalities live in the service."""

    municipality = forms.ChoiceField(
        label=_("Municipality"),
        choices=_municipality_choices,
        error_messages={"required": _("Choose your municipality from the list.")},
    )
    slug = forms.CharField(
        label=_("Address"),
        required=False,
        max_length=SLUG_MAX_LENGTH + 20,  # room for what folding removes; the service checks the real limit
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "none"}
        ),
    )
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=150,
        help_text=_("Who runs the local network: an association, a congregation, a municipal unit…"),
        error_messages={"required": _("Name the organisation that runs the local network.")},
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    contact_name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        error_messages={"required": _("Enter your name.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    contact_email = forms.EmailField(
        label=_("Your e-mail"),
        help_text=_("We send the confirmation link here, and you become the space's first administrator."),
        error_messages={
            "required": _("Enter your e-mail address."),
            "invalid": _("Enter a valid e-mail address, like name@example.se."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    accept_terms = forms.BooleanField(
        label=_("I accept the terms of use"),
        error_messages={"required": _("Accept the terms of use to sign up.")},
    )
    accept_dpa = forms.BooleanField(
        label=_("I accept the data processing agreement (personuppgiftsbiträdesavtal)"),
        error_messages={"required": _("Accept the data processing agreement to sign up.")},
    )
    # A honeypot: hidden from people (and screen readers), irresistible to form-filling scripts.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Formatted per request, in the language of that request.
        self.fields["slug"].help_text = _(
            "Your space will be at <address>.%(domain)s. Lowercase a–z, digits and hyphens; å, ä and ö "
            "become a, a and o. Leave it empty to use the municipality's name; any other address is "
            "checked by the association's board first."
        ) % {"domain": settings.BASE_DOMAIN}

    def clean_slug(self) -> str:
        return slug_fold(self.cleaned_data.get("slug", ""))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("website"):
            # Shown above the form: the field itself is out of sight.
            raise forms.ValidationError(
                _(
                    "This form looks filled in by a program, so it was not sent. If you are a person, "
                    "leave the field “Leave this field empty” empty and send it again."
                ),
                code="honeypot",
            )
        municipality = municipality_by_code(cleaned.get("municipality") or "")
        if municipality is not None and not cleaned.get("slug") and "slug" not in self.errors:
            cleaned["slug"] = slug_fold(municipality.name)
        return cleaned


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason, sent to the applicant"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Give a reason: the applicant is told it.")},
    )
