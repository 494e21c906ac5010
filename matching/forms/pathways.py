"""Forms for the pathway pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matching.choices import PATHWAY_ARENA_CHOICES, PathwayEndReason, PathwayOutcome, PathwayStage
from matching.forms.matching import DATE_WIDGET
from partners.models import Partner


def _partner_field() -> forms.ModelChoiceField[Partner]:
    return forms.ModelChoiceField(
        label=_("Partner"),
        queryset=Partner.objects.filter(is_active=True).order_by("name", "id"),
        required=False,
        help_text=_("The club, employer or association. Needed from the referral on."),
    )


class PathwayCreateForm(forms.Form):
    arena = forms.ChoiceField(label=_("Arena"), choices=PATHWAY_ARENA_CHOICES)
    goal = forms.CharField(
        label=_("Goal"), max_length=160, help_text=_("E.g. youth football, a job in care.")
    )
    interest_on = forms.DateField(label=_("Interest noted on"), widget=DATE_WIDGET)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"] = _partner_field()
        self.fields["interest_on"].initial = timezone.localdate
        self.order_fields(["arena", "goal", "partner", "interest_on", "note"])


class PathwayStageForm(forms.Form):
    stage = forms.ChoiceField(
        label=_("Next stage"),
        choices=[(value, label) for value, label in PathwayStage.choices if value != "interest"],
    )
    on = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    outcome = forms.ChoiceField(
        label=_("Outcome (when established)"),
        choices=[("", "–"), *PathwayOutcome.choices],
        required=False,
    )
    end_reason = forms.ChoiceField(
        label=_("Reason (when ended)"), choices=[("", "–"), *PathwayEndReason.choices], required=False
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"] = _partner_field()
        self.fields["on"].initial = timezone.localdate
        self.order_fields(["stage", "on", "partner", "outcome", "end_reason", "note"])
