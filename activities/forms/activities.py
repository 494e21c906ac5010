"""Forms of the activity pages. They check types; the rules live in activities.services.activities."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from activities.models import ActivityCategory, Arena, Audience, ScheduleKind
from activities.selectors.activities import leader_choices
from activities.services.activities import ActivityData, Schedule
from core.widgets import DateInput, TimeInput
from partners.models import Partner

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")


class LeaderField(forms.ModelMultipleChoiceField[User]):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name or obj.email} ({obj.get_role_display()})"


class ActivityForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=160)
    category = forms.ChoiceField(label=_("Category"), choices=ActivityCategory.choices)
    arena = forms.ChoiceField(label=_("Arena"), choices=Arena.choices, initial=Arena.GENERAL)
    audience = forms.ChoiceField(label=_("Audience"), choices=Audience.choices, initial=Audience.ALL)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    partner = forms.ModelChoiceField(
        label=_("Partner"), queryset=Partner.objects.none(), required=False, empty_label=_("No partner")
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    leaders = LeaderField(
        label=_("Leaders"),
        queryset=leader_choices().none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    capacity = forms.IntegerField(
        label=_("Capacity"),
        required=False,
        min_value=0,
        help_text=_("Leave empty for no limit."),
        error_messages={"min_value": _("The capacity cannot be below zero.")},
    )
    languages = forms.CharField(
        label=_("Languages spoken"),
        required=False,
        help_text=_("ISO 639 codes separated by commas, e.g. sv, ar, fa, ti, so, uk."),
    )
    is_public = forms.BooleanField(label=_("Show on the public pages"), required=False, initial=True)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    schedule_kind = forms.ChoiceField(
        label=_("Schedule"),
        choices=ScheduleKind.choices,
        widget=forms.RadioSelect,
        initial=ScheduleKind.WEEKLY,
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Weekdays"), choices=WEEKDAYS, coerce=int, widget=forms.CheckboxSelectMultiple, required=False
    )
    start_time = forms.TimeField(label=_("Starts at"), widget=TimeInput(), required=False)
    end_time = forms.TimeField(label=_("Ends at"), widget=TimeInput(), required=False)
    starts_on = forms.DateField(label=_("First date"), widget=DateInput(), required=False)
    ends_on = forms.DateField(label=_("Last date"), widget=DateInput(), required=False)
    dates = forms.CharField(
        label=_("Single dates"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For single dates: one date per line, as 2025-05-17. Dates already planned are kept."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Querysets are set per request: each tenant's schema has its own partners and users.
        self.fields["partner"].queryset = Partner.objects.filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["leaders"].queryset = leader_choices()  # type: ignore[attr-defined]

    def clean_languages(self) -> list[str]:
        codes = [
            code.strip().lower()
            for code in re.split(r"[,\s]+", self.cleaned_data["languages"])
            if code.strip()
        ]
        wrong = [code for code in codes if not LANGUAGE_CODE.match(code)]
        if wrong:
            raise forms.ValidationError(
                _("Not a language code: %(codes)s. Use two or three letters, e.g. sv or prs."),
                params={"codes": ", ".join(wrong)},
            )
        return codes

    def clean_dates(self) -> list[dt.date]:
        days = []
        for line in re.split(r"[\n,;]+", self.cleaned_data["dates"]):
            text = line.strip()
            if not text:
                continue
            try:
                days.append(dt.date.fromisoformat(text))
            except ValueError:
                raise forms.ValidationError(
                    _("%(text)s is not a date: write it as 2025-05-17."), params={"text": text}
                ) from None
        return sorted(set(days))

    def to_data(self) -> ActivityData:
        data = self.cleaned_data
        return ActivityData(
            title=data["title"],
            category=data["category"],
            arena=data["arena"],
            audience=data["audience"],
            description=data["description"],
            partner=data["partner"],
            place=data["place"],
            leaders=list(data["leaders"]),
            capacity=data["capacity"],
            languages=data["languages"],
            is_public=data["is_public"],
            is_active=data["is_active"],
            schedule=Schedule(
                kind=data["schedule_kind"],
                weekdays=tuple(data["weekdays"]),
                start_time=data["start_time"],
                end_time=data["end_time"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                dates=tuple(data["dates"]),
            ),
        )

    @classmethod
    def initial_for(cls, activity: Any) -> dict[str, Any]:
        return {
            "title": activity.title,
            "category": activity.category,
            "arena": activity.arena,
            "audience": activity.audience,
            "description": activity.description,
            "partner": activity.partner_id,
            "place": activity.place,
            "leaders": [leader.pk for leader in activity.leaders.all()],
            "capacity": activity.capacity,
            "languages": ", ".join(activity.languages),
            "is_public": activity.is_public,
            "is_active": activity.is_active,
            "schedule_kind": activity.schedule_kind,
            "weekdays": activity.weekdays,
            "start_time": activity.start_time,
            "end_time": activity.end_time,
            "starts_on": activity.starts_on,
            "ends_on": activity.ends_on,
        }


class SessionTimeForm(forms.Form):
    """A date, a time span and a place: adding a session or moving one."""

    date = forms.DateField(label=_("Date"), widget=DateInput())
    start_time = forms.TimeField(label=_("Starts at"), widget=TimeInput())
    end_time = forms.TimeField(label=_("Ends at"), widget=TimeInput())
    place = forms.CharField(
        label=_("Place"), max_length=200, required=False, help_text=_("Empty: the activity's place.")
    )


class SessionCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        help_text=_("The people registered are told, by e-mail or by phone."),
    )


class PersonSearchForm(forms.Form):
    q = forms.CharField(label=_("Search for a person"), required=False, max_length=100)


class RegisterForm(forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput)


class ActivityFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("All categories")), *ActivityCategory.choices]
    )
