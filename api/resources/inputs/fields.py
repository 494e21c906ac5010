"""The field types of the request bodies, shared by every domain area's inputs."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.languages import LANGUAGES

# Years the API takes in dates: enough for birth dates and plans, and every moment in the range converts
# between local time and UTC without leaving what Python and PostgreSQL can hold.
YEAR_PATTERN = r"^(19|20)[0-9]{2}-"
_YEAR = re.compile(YEAR_PATTERN)
TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"


class Text(serializers.CharField):
    """Text as typed: not trimmed (the services trim, and refuse what is left empty), NUL dropped."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("trim_whitespace", False)
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_blank", not kwargs["required"])
        super().__init__(**kwargs)
        self.validators = [v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)]

    def to_internal_value(self, data: Any) -> str:
        return str(super().to_internal_value(data)).replace("\x00", "")


def required_text(max_length: int) -> Text:
    """Required and not empty (the contract says minLength 1); what is only spaces reaches the service,
    whose rules refuse it with their own message."""
    return Text(required=True, max_length=max_length)


def _check_year(value: Any) -> None:
    if isinstance(value, str) and not _YEAR.match(value.strip()):
        raise serializers.ValidationError(_("Give a date between the years 1900 and 2099."))


@extend_schema_field({"type": "string", "format": "date", "pattern": YEAR_PATTERN, "example": "2026-09-01"})
class Day(serializers.DateField):
    """A date (YYYY-MM-DD) between the years 1900 and 2099."""

    def to_internal_value(self, value: Any) -> dt.date:
        _check_year(value)
        return super().to_internal_value(value)


@extend_schema_field(
    {
        "type": "string",
        "format": "date-time",
        "pattern": YEAR_PATTERN,
        "example": "2026-09-01T18:00:00+02:00",
    }
)
class Moment(serializers.DateTimeField):
    """A moment with its offset (or in the network's own time zone), between the years 1900 and 2099."""

    def to_internal_value(self, value: Any) -> dt.datetime:
        _check_year(value)
        return super().to_internal_value(value)


@extend_schema_field({"type": "string", "pattern": TIME_PATTERN, "example": "18:00"})
class LocalTime(serializers.TimeField):
    """A time of day on the network's wall clock (Europe/Stockholm), HH:MM or HH:MM:SS."""


def choice(choices: Any, **kwargs: Any) -> serializers.ChoiceField:
    kwargs.setdefault("required", False)
    return serializers.ChoiceField(choices=choices, **kwargs)


def year(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1900, max_value=2100, required=False, allow_null=True, **kwargs)


def email() -> serializers.EmailField:
    return serializers.EmailField(max_length=254, required=False, allow_blank=True)


LANGUAGE_CHOICES = [(language.code, language.en) for language in LANGUAGES]


def merged(data: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
    """The record's current values with the fields of the request on top (a PATCH names only some)."""
    return {**current, **data}
