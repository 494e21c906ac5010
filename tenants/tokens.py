"""The token in a new space's welcome link, where its first admin chooses a password."""

from __future__ import annotations

from django.contrib.auth.tokens import PasswordResetTokenGenerator


class WelcomeTokenGenerator(PasswordResetTokenGenerator):
    """Django's reset token under a key of its own: a welcome link is not a reset link, nor the other way
    round. Like a reset token it expires (PASSWORD_RESET_TIMEOUT) and stops working once a password is set."""

    key_salt = "tenants.tokens.WelcomeTokenGenerator"


welcome_token_generator = WelcomeTokenGenerator()
