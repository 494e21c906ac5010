"""What the apps above ``privacy`` add to erasure and retention (see ``core.extensions``).

- ``household_erasure``: run when a person is erased, with their household; an app that keeps its own
  copy of a family's data removes it (``portal`` deletes the household's sign-ups from its inbox).
- ``retention_purges``: run by the nightly retention task in each tenant, with the day; an app deletes
  what has outlived the tenant's retention limit (``portal``: handled sign-ups).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from core.extensions import ExtensionPoint

if TYPE_CHECKING:
    from people.models import Household

HouseholdErasure = Callable[["Household"], object]
RetentionPurge = Callable[[dt.date | None], object]

household_erasure: ExtensionPoint[HouseholdErasure] = ExtensionPoint("privacy.household_erasure")
retention_purges: ExtensionPoint[RetentionPurge] = ExtensionPoint("privacy.retention_purges")
