from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _recompute_after_commit(sender: Any, *, day: dt.date | dt.datetime | None, **kwargs: Any) -> None:
    from stats.services import tenant_month_changed

    tenant_month_changed(day=day)


class StatsConfig(AppConfig):
    name = "stats"
    verbose_name = _("Statistics")

    def ready(self) -> None:
        from core.signals import counts_changed

        # The domain apps announce changes through core.signals; they never import stats (the layers).
        counts_changed.connect(_recompute_after_commit, dispatch_uid="stats-recompute-after-commit")
