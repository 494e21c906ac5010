"""The public sign-up form. Every message is our own msgid, so it is translated into all seven languages
(Django's built-in messages have no Dari, Tigrinya or Somali)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models import Activity
from portal.languages import SPOKEN_LANGUAGES
from portal.models import PortalSettings, SignupGroup, Wish

REQUIRED = {"required": _("Please fill in this field.")}
MAX_MEMBERS = 8


def _birth_year_field(required: bool) -> forms.IntegerField:
    return forms.IntegerField(
        label=_("Year of birth"),
        required=required,
        error_messages={
            **REQUIRED,
            "invalid": _("Write the year with four digits, for example 1988."),
            "min_value": _("Write the year with four digits, for example 1988."),
            "max_value": _("The year cannot be in the future."),
        },
        min_value=1900,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


def _birth_year_up_to_this_year(form: forms.Form) -> None:
    """This year as the birth year's upper limit, looked up for each form: a limit fixed when the module was
    imported would refuse this year's newborns after New Year in a worker started before it."""
    field = cast(forms.IntegerField, form.fields["birth_year"])  # made by _birth_year_field
    year = timezone.localdate().year
    field.max_value = year
    field.validators.append(MaxValueValidator(year))
    field.widget.attrs["max"] = year


class SignupForm(forms.Form):
    group = forms.ChoiceField(
        label=_("Who are you?"),
        choices=SignupGroup.choices,
        widget=forms.RadioSelect,
        error_messages=REQUIRED,
    )
    first_name = forms.CharField(label=_("First name"), max_length=80, error_messages=REQUIRED)
    last_name = forms.CharField(label=_("Last name"), max_length=80, required=False)
    birth_year = _birth_year_field(required=True)
    wishes = forms.MultipleChoiceField(
        label=_("What would you like?"),
        choices=Wish.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={**REQUIRED, "required": _("Choose at least one thing you would like.")},
    )
    activity = forms.ModelChoiceField(
        label=_("Which activity?"),
        queryset=Activity.objects.none(),
        required=False,
        empty_label=_("No activity in particular"),
        error_messages={"invalid_choice": _("Choose an activity from the list.")},
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        error_messages={"invalid": _("Write a whole e-mail address, for example namn@exempel.se.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    district = forms.CharField(label=_("Where do you live? (area)"), max_length=80, required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages you speak"),
        choices=[(code, name) for code, name in SPOKEN_LANGUAGES.items()],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    message = forms.CharField(
        label=_("Anything else we should know?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=1000,
    )
    consent = forms.BooleanField(
        label=_("Yes, you may save what I wrote and contact me about it."),
        error_messages={"required": _("We can only help you if you agree that we save your sign-up.")},
    )
    # A field people never see (hidden by CSS, not by type=hidden): form-filling robots fill it in.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args: Any, activities: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _birth_year_up_to_this_year(self)
        field = cast("forms.ModelChoiceField[Activity]", self.fields["activity"])  # declared above
        field.queryset = activities if activities is not None else Activity.objects.none()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("phone") and not data.get("email") and not self.errors.get("email"):
            raise ValidationError(_("Give a phone number or an e-mail address so that we can reach you."))
        return data


class MemberForm(forms.Form):
    """Another member of the family: everything optional until a first name is given."""

    first_name = forms.CharField(label=_("First name"), max_length=80, required=False)
    birth_year = _birth_year_field(required=False)
    wishes = forms.MultipleChoiceField(
        label=_("What would they like?"),
        choices=Wish.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _birth_year_up_to_this_year(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("birth_year") or data.get("wishes")) and not data.get("first_name"):
            self.add_error("first_name", _("Write the first name of this family member."))
        if data.get("first_name") and not data.get("birth_year") and not self.errors.get("birth_year"):
            self.add_error("birth_year", _("Write the year this family member was born."))
        return data


MemberFormSet = forms.formset_factory(
    MemberForm, extra=MAX_MEMBERS - 1, max_num=MAX_MEMBERS - 1, validate_max=True
)


class SignupDecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (sent to no one; kept for the coordinators)"), max_length=200, required=False
    )


class PortalSettingsForm(forms.ModelForm[PortalSettings]):
    class Meta:
        model = PortalSettings
        fields = ["intro", "contact_name", "contact_email", "contact_phone", "meeting_place", "show_partners"]
        widgets = {"intro": forms.Textarea(attrs={"rows": 6})}
