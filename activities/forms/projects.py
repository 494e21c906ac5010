"""Forms of the project pages. The rules (period, budget) live in activities.services.projects."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from activities.choices import FunderKind
from activities.models import Activity, Project
from activities.services.projects import ProjectData
from core.widgets import DateInput


class KronorField(forms.DecimalField):
    """Whole kronor as people write them: "350 000", "350000 kr" (a text field: a number field would
    silently send nothing for "350 000")."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.replace("\xa0", "").replace(" ", "").removesuffix("kr").removesuffix(":-")
        return super().to_python(value)


class ProjectForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=160)
    funder_kind = forms.ChoiceField(label=_("Funder"), choices=FunderKind.choices)
    funder_name = forms.CharField(
        label=_("Funder's name"), max_length=160, required=False, help_text=_("E.g. Region Jönköpings län.")
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    starts_on = forms.DateField(label=_("Starts"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends"), widget=DateInput())
    budget_sek = KronorField(label=_("Budget (SEK)"), required=False, max_digits=12, decimal_places=0)
    activities = forms.ModelMultipleChoiceField(
        label=_("Activities"),
        queryset=Activity.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activities"].queryset = Activity.objects.order_by("title", "id")  # type: ignore[attr-defined]

    def to_data(self) -> ProjectData:
        data = self.cleaned_data
        return ProjectData(
            name=data["name"],
            funder_kind=data["funder_kind"],
            funder_name=data["funder_name"],
            description=data["description"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            budget_sek=data["budget_sek"],
            activities=list(data["activities"]),
        )

    @classmethod
    def initial_for(cls, project: Project) -> dict[str, Any]:
        return {
            "name": project.name,
            "funder_kind": project.funder_kind,
            "funder_name": project.funder_name,
            "description": project.description,
            "starts_on": project.starts_on,
            "ends_on": project.ends_on,
            "budget_sek": project.budget_sek,
            "activities": [activity.pk for activity in project.activities.all()],
        }


class ReportingDateForm(forms.Form):
    due_on = forms.DateField(label=_("Due"), widget=DateInput())
    description = forms.CharField(label=_("What is due"), max_length=200)
