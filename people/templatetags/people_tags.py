"""Template filters for people: age band, language names, phone numbers written the Swedish way."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from core.contact import format_phone
from core.languages import language_name
from people.models import Person
from people.models.people import AGE_UNKNOWN

register = template.Library()


def age_band_label(band: str) -> str:
    return _("unknown") if band == AGE_UNKNOWN else band.replace("-", "–")


@register.filter
def age_band(person: Person) -> str:
    return age_band_label(person.age_band_on(timezone.localdate()))


@register.filter
def age(person: Person) -> int | None:
    return person.age_on(timezone.localdate())


@register.filter
def language_names(codes: Iterable[str]) -> str:
    return ", ".join(language_name(code) for code in codes)


@register.filter
def phone(value: str) -> str:
    return format_phone(value)
