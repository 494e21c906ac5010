"""E-mail to participants: a session cancelled or moved, a seat freed from the waiting list.

Only people with an e-mail address and a 'contact' consent in force are written to; who may be written
to is checked again when the mail is sent, since consent can be withdrawn in between. Each person gets
their own message, so no one sees who else takes part.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection
from django.template.loader import render_to_string
from django.utils import translation

from activities.models import Activity, Session
from activities.selectors.activities import people_with_contact

NOTICE_TEMPLATES = {
    "cancelled": "activities/email/session_cancelled.txt",
    "moved": "activities/email/session_moved.txt",
}


def _network_name() -> str:
    tenant = getattr(connection, "tenant", None)
    return str(getattr(tenant, "name", "")) or "Internationella Vänner"


def _send(messages: list[EmailMessage]) -> int:
    if not messages:
        return 0
    return int(get_connection().send_messages(messages) or 0)


def session_notice_send(*, session_id: int, kind: str, person_ids: list[int]) -> int:
    """Send the notice of a cancelled or moved session; returns how many messages went out."""
    session = Session.objects.select_related("activity").filter(pk=session_id).first()
    if session is None or kind not in NOTICE_TEMPLATES:
        return 0
    network = _network_name()
    messages = []
    # Participants read Swedish first; the network writes to them in the platform's language.
    with translation.override(settings.LANGUAGE_CODE):
        for person in people_with_contact(person_ids=person_ids):
            if not person.may_email:  # type: ignore[attr-defined]
                continue
            context = {"person": person, "session": session, "activity": session.activity, "network": network}
            subject, _, body = render_to_string(NOTICE_TEMPLATES[kind], context).strip().partition("\n")
            messages.append(EmailMessage(subject.strip(), body.strip() + "\n", to=[person.email]))
    return _send(messages)


def waitlist_promotion_send(*, activity_id: int, person_ids: list[int]) -> int:
    activity = Activity.objects.filter(pk=activity_id).first()
    if activity is None:
        return 0
    network = _network_name()
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        for person in people_with_contact(person_ids=person_ids):
            if not person.may_email:  # type: ignore[attr-defined]
                continue
            context = {"person": person, "activity": activity, "network": network}
            subject, _, body = (
                render_to_string("activities/email/waitlist_promoted.txt", context).strip().partition("\n")
            )
            messages.append(EmailMessage(subject.strip(), body.strip() + "\n", to=[person.email]))
    return _send(messages)
