"""Writing to the audit log. Other apps call ``audit_record`` whenever personal data is viewed, changed,
exported or erased; the entry is written in the current tenant's schema, in the caller's transaction."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from audit.choices import AuditAction
from audit.models import AuditEntry
from ivplatform.personal_data import contains_personal_data

if TYPE_CHECKING:
    from accounts.models import User

OBJ_TYPE_PATTERN = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")


class AuditError(Exception):
    """An audit entry could not be written as asked; the message says why."""


@transaction.atomic
def audit_record(
    *, actor: User | None, action: AuditAction | str, obj_type: str, obj_id: int | str, summary: str
) -> AuditEntry:
    """Append one entry: ``actor`` (None for scheduled work) did ``action`` to ``obj_type`` #``obj_id``.

    ``obj_type`` is ``app_label.model`` (``core.person``). ``summary`` says what happened in a few words
    and must not itself hold personal data: entries naming an e-mail address, a phone or identity number,
    or a registered personal value are refused, since the log outlives erasure. A fixed English phrase
    marked with ``gettext_noop`` is shown translated on the audit page.
    """
    if action not in AuditAction.values:
        raise AuditError(f"Unknown audit action {action!r}.")
    if not OBJ_TYPE_PATTERN.match(obj_type):
        raise AuditError(f"The object type must look like 'app_label.model', not {obj_type!r}.")
    summary = " ".join(summary.split())
    if contains_personal_data(summary):
        raise AuditError("An audit summary must not contain personal data.")
    entry = AuditEntry(
        actor=actor, action=str(action), obj_type=obj_type, obj_id=str(obj_id), summary=summary
    )
    try:
        # The actor is an instance in hand: skip the query full_clean would make to check it exists.
        entry.full_clean(exclude=["actor"])
    except ValidationError as exc:
        raise AuditError("; ".join(exc.messages)) from exc
    entry.save()
    return entry
