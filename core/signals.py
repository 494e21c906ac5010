"""Signals that let a lower app tell a higher one that something happened, without importing it.

The domain apps (people, activities, matching) sit below ``stats`` in the layer order (ARCHITECTURE.md):
they must not import it, yet the board's figures have to follow every change. They call
``counted_data_changed``; ``stats`` listens (``StatsConfig.ready``) and queues the recompute after commit.
"""

from __future__ import annotations

import datetime as dt

from django.dispatch import Signal

# Sent with ``day``: a date, a datetime or None (no particular date, e.g. a person's gender changed).
counts_changed = Signal()


def counted_data_changed(*, day: dt.date | dt.datetime | None) -> None:
    """Something the statistics count changed in the current tenant on ``day``: call it from any service
    that writes what is counted (attendance, registrations, people, matches, pathways, projects)."""
    counts_changed.send(sender=None, day=day)
