"""Forms for partners and their contact people."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.forms import BaseFormSet, formset_factory
from django.utils.translation import gettext_lazy as _

from partners.models import Partner, PartnerKind
from partners.selectors import PARTNER_SORTS, PartnerFilter
from partners.services import ContactInput, PartnerInput

YES_NO_ANY = [("", _("All")), ("yes", _("Yes")), ("no", _("No"))]


class PartnerForm(forms.ModelForm[Partner]):
    website = forms.URLField(label=_("website"), required=False, max_length=200, assume_scheme="https")

    class Meta:
        model = Partner
        fields = ["name", "kind", "description", "website", "phone", "email", "is_active"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "phone": forms.TextInput(attrs={"type": "tel"}),
        }

    def _post_clean(self) -> None:
        # The service validates the model with the canonical values; the instance stays untouched until then.
        pass

    def partner_input(self) -> PartnerInput:
        data = self.cleaned_data
        return PartnerInput(
            name=data["name"],
            kind=data["kind"],
            description=data.get("description", ""),
            website=data.get("website", ""),
            phone=data.get("phone", ""),
            email=data.get("email", ""),
            is_active=bool(data.get("is_active")),
        )


class ContactForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Name"), max_length=160)
    title = forms.CharField(
        label=_("Title"), max_length=120, required=False, help_text=_("E.g. youth leader")
    )
    phone = forms.CharField(
        label=_("Phone"), max_length=30, required=False, widget=forms.TextInput(attrs={"type": "tel"})
    )
    email = forms.EmailField(label=_("E-mail"), required=False)

    def contact_input(self) -> ContactInput:
        data = self.cleaned_data
        return ContactInput(
            id=data.get("id"),
            name=data.get("name", ""),
            title=data.get("title", ""),
            phone=data.get("phone", ""),
            email=data.get("email", ""),
            delete=bool(data.get("DELETE")),
        )


class BaseContactFormSet(BaseFormSet[ContactForm]):
    def contact_inputs(self) -> list[ContactInput]:
        rows = []
        for form in self.forms:
            if not form.has_changed() and not form.cleaned_data.get("id"):
                continue  # an untouched empty row
            rows.append(form.contact_input())
        return rows


ContactFormSet = formset_factory(
    ContactForm, formset=BaseContactFormSet, extra=2, can_delete=True, max_num=30, absolute_max=30
)


def contact_formset(*, data: Any = None, partner: Partner | None = None) -> BaseContactFormSet:
    initial = (
        [
            {"id": c.pk, "name": c.name, "title": c.title, "phone": c.phone, "email": c.email}
            for c in partner.contacts.all()
        ]
        if partner is not None
        else []
    )
    return cast(BaseContactFormSet, ContactFormSet(data=data, initial=initial, prefix="contacts"))


class PartnerFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"), required=False, max_length=100, help_text=_("Name or contact person")
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All")), *PartnerKind.choices])
    active = forms.ChoiceField(label=_("Active"), required=False, choices=YES_NO_ANY)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("name", _("Name A–Ö")),
            ("-name", _("Name Ö–A")),
            ("kind", _("Kind")),
            ("newest", _("Newest first")),
        ],
    )

    def to_filter(self) -> PartnerFilter:
        if not self.is_valid():
            return PartnerFilter()
        data = self.cleaned_data
        sort = data.get("sort") or "name"
        return PartnerFilter(
            q=data.get("q", ""),
            kind=data.get("kind", ""),
            active=data.get("active", ""),
            sort=sort if sort in PARTNER_SORTS else "name",
        )
