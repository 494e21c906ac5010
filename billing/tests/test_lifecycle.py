"""The status as a pure function of the billing account and the time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from billing.lifecycle import billing_verdict
from billing.models import BillingAccount
from tenants.models import TenantStatus

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
GRACE = timedelta(days=14)


def account(**fields: object) -> BillingAccount:
    defaults: dict[str, object] = {"trial_ends_at": NOW + timedelta(days=10)}
    defaults.update(fields)
    return BillingAccount(**defaults)


def status(acc: BillingAccount, now: datetime = NOW) -> TenantStatus:
    return billing_verdict(acc, now=now, grace=GRACE).status


def test_a_new_tenant_is_in_trial_without_a_card() -> None:
    assert status(account()) == TenantStatus.TRIAL


def test_a_paid_subscription_is_active_even_during_the_trial() -> None:
    assert status(account(subscription_status="active")) == TenantStatus.ACTIVE


def test_a_subscription_waiting_for_the_trial_end_stays_in_trial() -> None:
    assert (
        status(account(subscription_status="trialing", trial_ends_at=NOW - timedelta(days=1)))
        == TenantStatus.TRIAL
    )


@pytest.mark.parametrize(
    ("days_after_trial", "expected"),
    [
        (0, TenantStatus.PAST_DUE),
        (13, TenantStatus.PAST_DUE),
        (14, TenantStatus.SUSPENDED),
        (90, TenantStatus.SUSPENDED),
    ],
)
def test_a_trial_that_ends_unpaid_goes_past_due_then_read_only_after_the_grace_period(
    days_after_trial: int, expected: TenantStatus
) -> None:
    acc = account(trial_ends_at=NOW - timedelta(days=days_after_trial))
    verdict = billing_verdict(acc, now=NOW, grace=GRACE)
    assert verdict.status == expected
    assert verdict.suspends_at == acc.trial_ends_at + GRACE


def test_a_failed_payment_counts_the_grace_period_from_the_unpaid_invoice() -> None:
    failed = NOW - timedelta(days=3)
    acc = account(
        trial_ends_at=NOW - timedelta(days=60), subscription_status="past_due", payment_due_since=failed
    )
    assert status(acc) == TenantStatus.PAST_DUE
    assert status(acc, NOW + timedelta(days=11)) == TenantStatus.SUSPENDED
    assert billing_verdict(acc, now=NOW, grace=GRACE).suspends_at == failed + GRACE


def test_a_failed_payment_during_the_trial_waits_for_the_trial_end() -> None:
    acc = account(subscription_status="past_due", payment_due_since=NOW - timedelta(days=20))
    assert status(acc) == TenantStatus.TRIAL
    assert (
        billing_verdict(acc, now=NOW + timedelta(days=11), grace=GRACE).suspends_at
        == acc.trial_ends_at + GRACE
    )


def test_a_cancelled_subscription_is_read_only_after_the_grace_period_from_its_end() -> None:
    ended = NOW - timedelta(days=20)
    acc = account(
        trial_ends_at=NOW - timedelta(days=200), subscription_status="canceled", subscription_ended_at=ended
    )
    assert status(acc) == TenantStatus.SUSPENDED
    assert status(acc, ended + timedelta(days=1)) == TenantStatus.PAST_DUE


def test_an_exempt_tenant_is_always_active() -> None:
    assert status(account(exempt=True, trial_ends_at=NOW - timedelta(days=400))) == TenantStatus.ACTIVE
