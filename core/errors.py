"""The local network's one domain exception: a rule of the work was broken.

Services raise it with a message fit to show to the user (already translated); views turn it into a form
error or a message. Nothing is written when it is raised: services are atomic.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model


class CoreError(Exception):
    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        # The form field the error belongs to, when there is one; None means the form as a whole.
        self.field = field


def full_clean_or_raise(instance: Model) -> None:
    """``instance.full_clean()``, its first error raised as a CoreError (services validate before saving)."""
    try:
        instance.full_clean()
    except ValidationError as exc:
        field_name, messages = next(iter(exc.message_dict.items()))
        raise CoreError(" ".join(messages), field=None if field_name == "__all__" else field_name) from exc


def error_body(
    status_code: int, code: str, message: str, fields: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The JSON body of every error the platform answers with, in the API and elsewhere (docs in README)."""
    error: dict[str, Any] = {"status": status_code, "code": code, "message": message}
    if fields:
        error["fields"] = fields
    return {"error": error}
