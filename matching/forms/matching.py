"""Forms for the matching pages. They parse and check input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matching.choices import Availability, ContactKind, MatchEndReason, MatchKind, MatchPreference

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def split_list(value: str) -> list[str]:
    """'Football, cooking; music' → ['Football', 'cooking', 'music']."""
    return [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]


class PersonSearchForm(forms.Form):
    q = forms.CharField(label=_("Name"), max_length=100, required=False)


class MatchRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("What is wanted"), choices=MatchKind.choices)
    for_household = forms.BooleanField(
        label=_("The whole family asks"),
        required=False,
        help_text=_("Leave unticked when only this person asks."),
    )
    languages = forms.CharField(
        label=_("Languages"),
        required=False,
        max_length=200,
        help_text=_("ISO codes separated by commas, e.g. sv, ar, en."),
    )
    interests = forms.CharField(
        label=_("Interests"),
        required=False,
        max_length=400,
        help_text=_("Separated by commas, e.g. football, cooking, walks."),
    )
    children_ages = forms.CharField(
        label=_("Children's ages"),
        required=False,
        max_length=100,
        help_text=_("Separated by commas, e.g. 4, 9."),
    )
    district = forms.CharField(label=_("District"), required=False, max_length=80)
    availability = forms.MultipleChoiceField(
        label=_("Free on"),
        choices=Availability.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    preferences = forms.MultipleChoiceField(
        label=_("Wishes"),
        choices=MatchPreference.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Same gender is never broken: only people of the same gender are suggested."),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_languages(self) -> list[str]:
        codes = [code.lower() for code in split_list(self.cleaned_data["languages"])]
        bad = [code for code in codes if not (2 <= len(code) <= 3 and code.isalpha())]
        if bad:
            raise forms.ValidationError(
                _("Use two- or three-letter language codes: %(codes)s is not one.")
                % {"codes": ", ".join(bad)}
            )
        return codes

    def clean_interests(self) -> list[str]:
        interests = split_list(self.cleaned_data["interests"])
        if any(len(interest) > 40 for interest in interests):
            raise forms.ValidationError(_("Each interest can be at most 40 characters."))
        return interests

    def clean_children_ages(self) -> list[int]:
        ages = []
        for part in split_list(self.cleaned_data["children_ages"]):
            if not part.isdigit() or int(part) > 25:
                raise forms.ValidationError(
                    _("Write ages as whole numbers from 0 to 25, separated by commas.")
                )
            ages.append(int(part))
        return ages


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Why is the request withdrawn?"), max_length=200)


class OptOutForm(forms.Form):
    opted_out = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[
            ("yes", _("Does not want to be matched")),
            ("no", _("Wants to be matched again")),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=200)


class ProposeForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class MatchActivateForm(forms.Form):
    started_on = forms.DateField(label=_("Started on"), widget=DATE_WIDGET)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["started_on"].initial = timezone.localdate


class MatchEndForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=MatchEndReason.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=200)
    ended_on = forms.DateField(label=_("Ended on"), widget=DATE_WIDGET)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ended_on"].initial = timezone.localdate


class FirstMeetingForm(forms.Form):
    at = forms.DateTimeField(
        label=_("Date and time"),
        input_formats=[DATETIME_FORMAT],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
    )
    place = forms.CharField(label=_("Place"), max_length=200)


class ContactForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of contact"), choices=ContactKind.choices)
    happened_on = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["happened_on"].initial = timezone.localdate


class CheckInDoneForm(forms.Form):
    note = forms.CharField(label=_("How are they doing?"), max_length=500)


class DistrictNeighbourForm(forms.Form):
    district = forms.CharField(label=_("District"), max_length=80)
    neighbour = forms.CharField(label=_("Near district"), max_length=80)
