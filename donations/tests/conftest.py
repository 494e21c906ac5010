from billing.tests.conftest import fake_stripe, inline_tasks, stripe_settings

__all__ = ["fake_stripe", "inline_tasks", "stripe_settings"]
