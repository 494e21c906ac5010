from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from audit.models import AuditAction, object_type_label
from audit.selectors import AuditFilters


class ActorChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.full_name or obj.email} ({obj.email})"


class AuditFilterForm(forms.Form):
    actor = ActorChoiceField(
        label=_("Who"), queryset=User.objects.none(), required=False, empty_label=_("Anyone")
    )
    action = forms.ChoiceField(label=_("Action"), required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    obj_type = forms.ChoiceField(label=_("Object"), required=False)
    obj_id = forms.CharField(label=_("Object id"), required=False, max_length=64)

    def __init__(self, *args: Any, actors: QuerySet[User], obj_types: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The fields are declared above: the casts only tell the type checker what they are.
        actor_field = cast(ActorChoiceField, self.fields["actor"])
        actor_field.queryset = actors
        action_field = cast(forms.ChoiceField, self.fields["action"])
        action_field.choices = [("", _("Any action")), *AuditAction.choices]
        type_field = cast(forms.ChoiceField, self.fields["obj_type"])
        type_field.choices = [("", _("Any object")), *((t, object_type_label(t)) for t in obj_types)]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            raise forms.ValidationError(_("The “from” date must be on or before the “to” date."))
        return cleaned

    def filters(self) -> AuditFilters:
        data = self.cleaned_data
        actor = data.get("actor")
        return AuditFilters(
            actor_id=actor.pk if actor else None,
            action=data.get("action") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            obj_type=data.get("obj_type") or "",
            obj_id=(data.get("obj_id") or "").strip(),
        )
