"""Households and people: the family perspective starts here."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import OpClass
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from people.choices import ConsentPurpose, Gender, HouseholdRole, PersonGroup

# Age bands used by statistics and funders (DESIGN.md §2): lower bound inclusive, upper inclusive.
AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("0-6", 0, 6),
    ("7-12", 7, 12),
    ("13-19", 13, 19),
    ("20-25", 20, 25),
    ("26-64", 26, 64),
    ("65+", 65, None),
)
AGE_UNKNOWN = "unknown"
# Children under this age need a guardian's consent.
GUARDIAN_CONSENT_BELOW_AGE = 13


def age_band(age: int | None) -> str:
    if age is None:
        return AGE_UNKNOWN
    for name, low, high in AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return name
    return AGE_UNKNOWN


class Household(models.Model):
    """A family. Members are people with this household; a person may also stand alone."""

    name = models.CharField(_("family name"), max_length=120)
    district = models.CharField(_("district"), max_length=80, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        db_table = "core_household"
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        related_name="members",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    household_role = models.CharField(
        _("role in household"), max_length=10, choices=HouseholdRole.choices, default=HouseholdRole.ADULT
    )
    first_name = models.CharField(_("first name"), max_length=80)
    last_name = models.CharField(_("last name"), max_length=80, blank=True)
    # Either a full birth date or only the year: many newcomers give only the year. birth_year is always
    # filled when anything is known, so age bands can be computed in SQL.
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=12, choices=Gender.choices, default=Gender.NOT_STATED)
    group = models.CharField(_("group"), max_length=12, choices=PersonGroup.choices)
    arrival_year = models.PositiveSmallIntegerField(_("year of arrival in Sweden"), null=True, blank=True)
    languages = ArrayField(
        models.CharField(max_length=3),
        verbose_name=_("languages"),
        default=list,
        blank=True,
        help_text=_("ISO 639 codes, e.g. sv, ar, fa, ti, so, uk."),
    )
    interests = ArrayField(
        models.CharField(max_length=40), verbose_name=_("interests"), default=list, blank=True
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    district = models.CharField(_("district"), max_length=80, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_volunteer = models.BooleanField(_("volunteer"), default=False)
    protected_identity = models.BooleanField(
        _("protected identity"),
        default=False,
        help_text=_("Never shown in exports, public pages or volunteers' lists."),
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.SET_NULL, null=True, blank=True
    )
    # Set when the person is anonymised (erasure or retention); the row stays so statistics stay true.
    erased_at = models.DateTimeField(_("anonymised"), null=True, blank=True)

    class Meta:
        db_table = "core_person"
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name", "id"]
        indexes = [
            models.Index(fields=["last_name", "first_name"]),
            models.Index(fields=["birth_year"]),
            models.Index(fields=["phone"]),
            models.Index(fields=["email"]),
            # Prefix search in the people list ("UPPER(first_name) LIKE 'AMA%'") without a sequential scan:
            # pattern operator classes work whatever the database's collation. (pg_trgm would allow
            # searching inside names, but it is an extension that not every PostgreSQL has installed.)
            models.Index(
                OpClass(Upper("first_name"), name="text_pattern_ops"), name="person_first_name_prefix"
            ),
            models.Index(
                OpClass(Upper("last_name"), name="text_pattern_ops"), name="person_last_name_prefix"
            ),
            models.Index(fields=["email"], opclasses=["varchar_pattern_ops"], name="person_email_prefix"),
            models.Index(fields=["phone"], opclasses=["varchar_pattern_ops"], name="person_phone_prefix"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(birth_year__isnull=True) | models.Q(birth_year__gte=1900),
                name="person_birth_year_plausible",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def full_name(self) -> str:
        return str(self)

    def age_on(self, day: dt.date) -> int | None:
        if self.birth_date:
            before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
            return day.year - self.birth_date.year - int(before_birthday)
        if self.birth_year:
            return day.year - self.birth_year
        return None

    def age_band_on(self, day: dt.date) -> str:
        return age_band(self.age_on(day))

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None


class Consent(models.Model):
    """One decision about one purpose. The newest row per (person, purpose) is the one in force."""

    person = models.ForeignKey(Person, related_name="consents", on_delete=models.CASCADE)
    purpose = models.CharField(_("purpose"), max_length=12, choices=ConsentPurpose.choices)
    given = models.BooleanField(_("given"))
    # For children under 13 a guardian decides; their name is recorded with the decision.
    given_by_guardian = models.BooleanField(_("given by guardian"), default=False)
    guardian_name = models.CharField(_("guardian"), max_length=160, blank=True)
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        db_table = "core_consent"
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["person", "purpose", "-recorded_at"])]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()}: {self.given}"
