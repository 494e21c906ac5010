"""The attendance sheet: one mark per person (rendered by hand, 200 rows stay fast), a walk-in, your time."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.services.attendance import WalkIn
from people.models import Gender, PersonGroup

MARK_PREFIX = "mark-"


def parse_marks(data: Mapping[str, Any]) -> dict[int, str]:
    """person id → status from the posted ``mark-<id>`` fields; rows left blank are left out."""
    marks = {}
    for key, value in data.items():
        if not key.startswith(MARK_PREFIX) or not value:
            continue
        try:
            person_id = int(key[len(MARK_PREFIX) :])
        except ValueError:
            continue
        marks[person_id] = str(value)
    return marks


class AttendanceSheetForm(forms.Form):
    rest_absent = forms.BooleanField(
        label=_("Mark everyone left blank as absent"), required=False, initial=True
    )
    walk_in_first_name = forms.CharField(label=_("First name"), max_length=80, required=False)
    walk_in_birth_year = forms.IntegerField(
        label=_("Birth year"),
        required=False,
        min_value=1900,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    # Not required: the sheet is often saved without a walk-in; empty means the defaults below.
    walk_in_gender = forms.ChoiceField(
        label=_("Gender"), choices=Gender.choices, initial=Gender.NOT_STATED, required=False
    )
    walk_in_group = forms.ChoiceField(
        label=_("Group"),
        choices=PersonGroup.choices,
        initial=PersonGroup.NEWCOMER,
        widget=forms.RadioSelect,
        required=False,
    )
    minutes = forms.IntegerField(
        label=_("Your time (minutes)"),
        required=False,
        min_value=1,
        max_value=24 * 60,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": "5"}),
        error_messages={
            "min_value": _("Give your time in minutes, from 1 to 1440 (a day)."),
            "max_value": _("Give your time in minutes, from 1 to 1440 (a day)."),
        },
    )

    def clean_walk_in_birth_year(self) -> int | None:
        year: int | None = self.cleaned_data["walk_in_birth_year"]
        if year is not None and year > timezone.localdate().year:
            raise forms.ValidationError(_("The birth year cannot be in the future."))
        return year

    def walk_in(self) -> WalkIn | None:
        data = self.cleaned_data
        if not data["walk_in_first_name"].strip():
            if data["walk_in_birth_year"] is not None:
                self.add_error("walk_in_first_name", _("Give the walk-in's first name."))
            return None
        return WalkIn(
            first_name=data["walk_in_first_name"],
            birth_year=data["walk_in_birth_year"],
            gender=data["walk_in_gender"] or Gender.NOT_STATED,
            group=data["walk_in_group"] or PersonGroup.NEWCOMER,
        )
