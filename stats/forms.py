"""Filters for the dashboards and funder reports (GET forms; bad values get a message, never a crash)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import FunderKind
from stats.dimensions import COARSE_LABELS, Period
from stats.selectors import closed_periods, counties, default_period, period_label, periods_available
from tenants.selectors import member_municipalities


def _choice(form: forms.Form, name: str) -> forms.ChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field


def _period_choices(periods: list[Period]) -> list[tuple[str, str]]:
    return [(period.key, period_label(period)) for period in periods]


class PeriodField(forms.ChoiceField):
    def clean(self, value: Any) -> Period:
        key = super().clean(value)
        return Period.parse(key)


class DashboardFilterForm(forms.Form):
    period = PeriodField(label=_("Period"))
    county = forms.ChoiceField(label=_("County"), required=False)
    municipality = forms.ChoiceField(label=_("Municipality"), required=False)
    age = forms.ChoiceField(label=_("Age"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        periods = periods_available()
        _choice(self, "period").choices = _period_choices(periods)
        self.fields["period"].initial = default_period(periods).key
        _choice(self, "county").choices = [("", _("All counties")), *[(c, c) for c in counties()]]
        _choice(self, "municipality").choices = [
            ("", _("All municipalities")),
            *[(m.schema_name, m.name) for m in member_municipalities()],
        ]
        _choice(self, "age").choices = [
            ("", _("All ages")),
            *[(key, label) for key, label in COARSE_LABELS.items()],
        ]


def report_period_choices() -> list[tuple[str, str]]:
    """Closed periods only: a report's figures are cut by age and gender, which open periods do not have."""
    return _period_choices(closed_periods())


class BoardReportForm(forms.Form):
    period = PeriodField(label=_("Period"))
    project = forms.ChoiceField(label=_("Project"), required=False)
    funder = forms.ChoiceField(label=_("Or all projects of a funder"), required=False)
    county = forms.ChoiceField(label=_("County"), required=False)

    def __init__(self, *args: Any, projects: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        periods = report_period_choices()
        _choice(self, "period").choices = periods
        self.fields["period"].initial = periods[0][0] if periods else None
        _choice(self, "project").choices = [("", _("Choose a project")), *projects]
        _choice(self, "funder").choices = [("", "–"), *FunderKind.choices]
        _choice(self, "county").choices = [("", _("All counties")), *[(c, c) for c in counties()]]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("project") and not data.get("funder"):
            raise forms.ValidationError(_("Choose a project or a funder."))
        return data


class LocalReportForm(forms.Form):
    period = PeriodField(label=_("Period"))
    project = forms.ChoiceField(label=_("Project"), required=False)
    funder = forms.ChoiceField(label=_("Or all projects of a funder"), required=False)

    def __init__(
        self, *args: Any, projects: list[tuple[str, str]], periods: list[Period], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "period").choices = _period_choices(periods)
        self.fields["period"].initial = periods[0].key
        _choice(self, "project").choices = [("", _("Choose a project")), *projects]
        _choice(self, "funder").choices = [("", "–"), *FunderKind.choices]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("project") and not data.get("funder"):
            raise forms.ValidationError(_("Choose a project or a funder."))
        return data
