"""The one domain exception, and the one way to raise it from model validation and to show it.

A service raises ``DomainError`` (or an app's subclass, e.g. ``PeopleError``) when a rule of the work
refuses a change, with a message fit to show to the user (already translated). Nothing has been written:
services are atomic. Pages show it with ``error_on_form``; the API answers 409 with the error body below
(``api.resources.views.base.domain_errors``).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model


class DomainError(Exception):
    """A rule of the work refused the change.

    ``field`` names the form field (or API input) the message belongs to, None for the request as a
    whole; ``index`` the row of a list input (a family's members, a partner's contacts).
    """

    def __init__(self, message: str, *, field: str | None = None, index: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.index = index


def full_clean_or_raise(
    instance: Model,
    *,
    error: type[DomainError] = DomainError,
    exclude: list[str] | None = None,
    index: int | None = None,
) -> None:
    """``instance.full_clean()``, its first error raised as ``error`` with the field it is about
    (services validate before saving)."""
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        field_name, messages = next(iter(exc.message_dict.items()))
        raise error(
            " ".join(messages), field=None if field_name == "__all__" else field_name, index=index
        ) from exc


def error_on_form(form: forms.BaseForm, error: DomainError) -> None:
    """Show a service's refusal on the form: at its field when the form has one, else above the form."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


def error_body(
    status_code: int, code: str, message: str, fields: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The JSON body of every error the platform answers with, in the API and elsewhere (README)."""
    error: dict[str, Any] = {"status": status_code, "code": code, "message": message}
    if fields:
        error["fields"] = fields
    return {"error": error}
