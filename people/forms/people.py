"""Forms for households and people. They only parse input; the services in people.services.people decide."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.forms import BaseFormSet, formset_factory
from django.utils.translation import gettext_lazy as _

from core.languages import language_choices
from people.models import ConsentPurpose, Gender, Household, HouseholdRole, Person, PersonGroup
from people.models.people import AGE_BANDS, AGE_UNKNOWN
from people.selectors.people import (
    HOUSEHOLD_SORTS,
    PEOPLE_SORTS,
    HouseholdFilter,
    PeopleFilter,
    current_consents,
)
from people.services.people import ConsentInput, HouseholdInput, PersonInput

CONSENT_FIELDS = {purpose: f"consent_{purpose}" for purpose in ConsentPurpose.values}
YES_NO_ANY = [("", _("All")), ("yes", _("Yes")), ("no", _("No"))]


class LanguagesField(forms.MultipleChoiceField):
    """ISO 639 codes chosen from the list of common languages; choices follow the UI language."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Languages"))
        kwargs.setdefault("widget", forms.SelectMultiple(attrs={"size": 6}))
        super().__init__(choices=language_choices, **kwargs)


class ConsentFieldsMixin(forms.Form):
    """One checkbox per consent purpose and the guardian's name for children under 13."""

    consent_contact = forms.BooleanField(label=_("Contact"), required=False)
    consent_statistics = forms.BooleanField(label=_("Statistics"), required=False)
    consent_photos = forms.BooleanField(label=_("Photos"), required=False)
    consent_sharing = forms.BooleanField(label=_("Sharing with partners"), required=False)
    guardian_name = forms.CharField(
        label=_("Guardian (for children under 13)"),
        max_length=160,
        required=False,
        help_text=_("Required when a child under 13 gets consent: the guardian decides."),
    )

    def consent_input(self) -> ConsentInput:
        data = self.cleaned_data
        return ConsentInput(
            decisions={purpose: bool(data.get(name)) for purpose, name in CONSENT_FIELDS.items()},
            guardian_name=data.get("guardian_name", ""),
        )

    def consent_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in CONSENT_FIELDS.values()]


def consent_initial(person: Person) -> dict[str, Any]:
    current = current_consents(person)
    initial: dict[str, Any] = {
        name: bool(current.get(p) and current[p].given) for p, name in CONSENT_FIELDS.items()
    }
    guardians = [c.guardian_name for c in current.values() if c.guardian_name]
    initial["guardian_name"] = guardians[0] if guardians else ""
    return initial


class BirthDateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


PERSON_FIELDS = [
    "first_name",
    "last_name",
    "birth_date",
    "birth_year",
    "gender",
    "group",
    "household_role",
    "arrival_year",
    "phone",
    "email",
    "district",
    "is_volunteer",
    "protected_identity",
    "notes",
]


class PersonForm(ConsentFieldsMixin, forms.ModelForm[Person]):
    """Every field of a person, with consent per purpose. Saving goes through the people services."""

    languages = LanguagesField()
    interests = forms.CharField(
        label=_("Interests"),
        required=False,
        max_length=400,
        help_text=_("Separate with commas, e.g. football, cooking, choir."),
    )
    confirm_duplicates = forms.BooleanField(
        label=_("I have checked: this is not one of the people above. Save anyway."), required=False
    )

    class Meta:
        model = Person
        fields = PERSON_FIELDS
        widgets = {
            "birth_date": BirthDateInput(),
            "group": forms.RadioSelect,
            "notes": forms.Textarea(attrs={"rows": 3}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        }
        help_texts = {
            "birth_date": _("Or only the birth year below, if that is all that is known."),
            "phone": _("Swedish numbers in any form: 070-123 45 67, +46 70 123 45 67."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        instance: Person | None = kwargs.get("instance")
        if instance is not None and instance.pk:
            initial = kwargs.setdefault("initial", {})
            initial.setdefault("languages", instance.languages)
            initial.setdefault("interests", ", ".join(instance.interests))
            for key, value in consent_initial(instance).items():
                initial.setdefault(key, value)
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["group"]).choices = PersonGroup.choices

    def _post_clean(self) -> None:
        # The services check the model (full_clean) with the canonical values; checking the raw form values
        # here would report, e.g., a birth year the service would fill from the birth date.
        pass

    def person_input(self) -> PersonInput:
        data = self.cleaned_data
        return PersonInput(
            first_name=data["first_name"],
            last_name=data.get("last_name", ""),
            birth_date=data.get("birth_date"),
            birth_year=data.get("birth_year"),
            gender=data.get("gender") or Gender.NOT_STATED,
            group=data["group"],
            household_role=data.get("household_role") or HouseholdRole.ADULT,
            arrival_year=data.get("arrival_year"),
            languages=tuple(data.get("languages") or ()),
            interests=tuple(part.strip() for part in data.get("interests", "").split(",") if part.strip()),
            phone=data.get("phone", ""),
            email=data.get("email", ""),
            district=data.get("district", ""),
            notes=data.get("notes", ""),
            is_volunteer=bool(data.get("is_volunteer")),
            protected_identity=bool(data.get("protected_identity")),
        )


class HouseholdForm(forms.ModelForm[Household]):
    class Meta:
        model = Household
        fields = ["name", "district", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def _post_clean(self) -> None:
        # The service validates the model with the canonical values; the instance stays untouched until then.
        pass

    def household_input(self) -> HouseholdInput:
        data = self.cleaned_data
        return HouseholdInput(
            name=data["name"], district=data.get("district", ""), notes=data.get("notes", "")
        )


class FamilyForm(HouseholdForm):
    """The household part of the family registration, with what the whole family shares."""

    group = forms.ChoiceField(label=_("Group"), choices=PersonGroup.choices, widget=forms.RadioSelect)
    languages = LanguagesField(help_text=_("Spoken in the family; a member may have their own below."))
    arrival_year = forms.IntegerField(
        label=_("Year of arrival in Sweden"), required=False, min_value=1900, max_value=2100
    )
    confirm_duplicates = forms.BooleanField(
        label=_("I have checked: these are not the people listed above. Save anyway."), required=False
    )


class MemberForm(ConsentFieldsMixin, forms.Form):
    """One member in the family registration: short, so five of them fit a phone call."""

    first_name = forms.CharField(label=_("First name"), max_length=80)
    last_name = forms.CharField(
        label=_("Last name"), max_length=80, required=False, help_text=_("Empty: the family name.")
    )
    household_role = forms.ChoiceField(label=_("Role in household"), choices=HouseholdRole.choices)
    birth_year = forms.IntegerField(label=_("Birth year"), required=False, min_value=1900, max_value=2100)
    birth_date = forms.DateField(label=_("Birth date"), required=False, widget=BirthDateInput())
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices, initial=Gender.NOT_STATED)
    phone = forms.CharField(
        label=_("Phone"), max_length=30, required=False, widget=forms.TextInput(attrs={"type": "tel"})
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    languages = LanguagesField(help_text=_("Empty: the family's languages."))

    def person_input(self, family: FamilyForm) -> PersonInput:
        data = self.cleaned_data
        shared = family.cleaned_data
        return PersonInput(
            first_name=data["first_name"],
            last_name=data.get("last_name", ""),
            birth_date=data.get("birth_date"),
            birth_year=data.get("birth_year"),
            gender=data.get("gender") or Gender.NOT_STATED,
            group=shared["group"],
            household_role=data["household_role"],
            arrival_year=shared.get("arrival_year"),
            languages=tuple(data.get("languages") or shared.get("languages") or ()),
            phone=data.get("phone", ""),
            email=data.get("email", ""),
        )


MAX_MEMBERS = 15


class BaseMemberFormSet(BaseFormSet[MemberForm]):
    """Member rows: the first two start as adults, the rest as children (the usual family)."""

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        kwargs = super().get_form_kwargs(index)
        if index is not None:
            role = HouseholdRole.ADULT if index < 2 else HouseholdRole.CHILD
            kwargs["initial"] = {"household_role": role, "gender": Gender.NOT_STATED}
        return kwargs


def member_formset(*, data: Any = None, rows: int = 2) -> BaseMemberFormSet:
    """A formset of ``rows`` member rows (bound: as many as were posted). Empty rows are ignored."""
    rows = max(1, min(rows, MAX_MEMBERS))
    formset_class = formset_factory(
        MemberForm,
        formset=BaseMemberFormSet,
        extra=rows - 1,
        min_num=1,
        validate_min=True,
        max_num=MAX_MEMBERS,
        validate_max=True,
        absolute_max=MAX_MEMBERS,
    )
    return cast(BaseMemberFormSet, formset_class(data=data, prefix="members"))


def filled_members(formset: BaseMemberFormSet) -> list[MemberForm]:
    """The member rows the user filled in; untouched extra rows are ignored."""
    return [form for form in formset.forms if form.has_changed() and form.cleaned_data]


class PeopleFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"), required=False, max_length=100, help_text=_("Name, phone or e-mail")
    )
    group = forms.ChoiceField(
        label=_("Group"), required=False, choices=[("", _("All")), *PersonGroup.choices]
    )
    gender = forms.ChoiceField(label=_("Gender"), required=False, choices=[("", _("All")), *Gender.choices])
    age_band = forms.ChoiceField(label=_("Age"), required=False)
    district = forms.ChoiceField(label=_("District"), required=False)
    volunteer = forms.ChoiceField(label=_("Volunteer"), required=False, choices=YES_NO_ANY)
    in_household = forms.ChoiceField(label=_("In a household"), required=False, choices=YES_NO_ANY)
    household = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("name", _("Name A–Ö")),
            ("-name", _("Name Ö–A")),
            ("age", _("Youngest first")),
            ("-age", _("Oldest first")),
            ("newest", _("Newest first")),
            ("oldest", _("Oldest registration first")),
        ],
    )

    def __init__(self, *args: Any, districts: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["age_band"]).choices = [
            ("", _("All")),
            *[(name, name.replace("-", "–")) for name, _low, _high in AGE_BANDS],
            (AGE_UNKNOWN, _("Unknown")),
        ]
        cast(forms.ChoiceField, self.fields["district"]).choices = [
            ("", _("All")),
            *[(d, d) for d in districts],
        ]

    def to_filter(self) -> PeopleFilter:
        if not self.is_valid():
            return PeopleFilter()
        data = self.cleaned_data
        sort = data.get("sort") or "name"
        return PeopleFilter(
            q=data.get("q", ""),
            group=data.get("group", ""),
            gender=data.get("gender", ""),
            age_band=data.get("age_band", ""),
            district=data.get("district", ""),
            volunteer=data.get("volunteer", ""),
            in_household=data.get("in_household", ""),
            household_id=data.get("household"),
            sort=sort if sort in PEOPLE_SORTS else "name",
        )


class HouseholdFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"), required=False, max_length=100, help_text=_("Family or member name")
    )
    district = forms.ChoiceField(label=_("District"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("name", _("Name A–Ö")),
            ("-name", _("Name Ö–A")),
            ("size", _("Largest first")),
            ("newest", _("Newest first")),
        ],
    )

    def __init__(self, *args: Any, districts: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["district"]).choices = [
            ("", _("All")),
            *[(d, d) for d in districts],
        ]

    def to_filter(self) -> HouseholdFilter:
        if not self.is_valid():
            return HouseholdFilter()
        data = self.cleaned_data
        sort = data.get("sort") or "name"
        return HouseholdFilter(
            q=data.get("q", ""),
            district=data.get("district", ""),
            sort=sort if sort in HOUSEHOLD_SORTS else "name",
        )
