"""What the apps above ``partners`` add to its pages (see ``core.extensions``).

- ``partner_page_prefetch``: what a partner's page reads along with the partner, in a fixed number of
  queries (``activities`` adds the partner's activities, as ``partner.activities``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from core.extensions import ExtensionPoint

if TYPE_CHECKING:
    from partners.models import Partner

PartnerPagePrefetch = Callable[["QuerySet[Partner]"], "QuerySet[Partner]"]

partner_page_prefetch: ExtensionPoint[PartnerPagePrefetch] = ExtensionPoint("partners.partner_page_prefetch")
