"""What the apps above ``billing`` add to its Stripe webhook (see ``core.extensions``).

- ``card_gift_paid``: a card gift was paid through Stripe Checkout. Each callable runs in the receiving
  tenant's schema, inside the webhook's transaction (so the gift and the processed event commit together),
  with the payment's facts as keyword arguments (``donations`` records the gift).
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from core.extensions import ExtensionPoint


class CardGiftPaid(Protocol):
    __module__: str
    __qualname__: str

    def __call__(
        self,
        *,
        payment_intent_id: str,
        checkout_session_id: str,
        amount_ore: int,
        currency: str,
        campaign_id: int | None,
        paid_at: dt.datetime,
    ) -> object: ...


card_gift_paid: ExtensionPoint[CardGiftPaid] = ExtensionPoint("billing.card_gift_paid")
