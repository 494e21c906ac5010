"""Background work of the local network. Tasks take ids and call a service; Celery runs them in the
schema of the tenant that queued them (tenant-schemas-celery), inline when REDIS_URL is unset."""

from __future__ import annotations

from activities.services.notices import session_notice_send, waitlist_promotion_send
from ivplatform.celery import app


# The name stays what it was before the move out of core, so that messages queued then still run.
@app.task(name="core.tasks.activities.send_session_notice", bind=True, max_retries=5, default_retry_delay=60)
def session_notice_send_task(self: object, *, session_id: int, kind: str, person_ids: list[int]) -> int:
    """E-mail the people registered that a session was cancelled or moved."""
    try:
        return session_notice_send(session_id=session_id, kind=kind, person_ids=person_ids)
    except OSError as exc:  # the mail server did not answer: try again later
        raise self.retry(exc=exc) from exc  # type: ignore[attr-defined]


@app.task(
    name="core.tasks.activities.send_waitlist_promotion", bind=True, max_retries=5, default_retry_delay=60
)
def waitlist_promotion_send_task(self: object, *, activity_id: int, person_ids: list[int]) -> int:
    """E-mail people who moved from the waiting list to a seat."""
    try:
        return waitlist_promotion_send(activity_id=activity_id, person_ids=person_ids)
    except OSError as exc:
        raise self.retry(exc=exc) from exc  # type: ignore[attr-defined]
