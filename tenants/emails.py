"""E-mails of the sign-up, each in the language the applicant used (board notices in Swedish).

Plain text, rendered from ``templates/tenants/email/*.txt``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.functional import Promise, lazy
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import User
from tenants.links import origin_url, public_link, tenant_link
from tenants.models import OnboardingApplication
from tenants.pricing import price_tier_for_code
from tenants.selectors import tenant_host
from tenants.tokens import welcome_token_generator

# These e-mails are sent from either kind of host (the board approves on the association's) and from
# workers, so links are reversed in the URLconf they belong to, named explicitly.
_public = settings.PUBLIC_SCHEMA_URLCONF
_tenant = settings.ROOT_URLCONF


def _send(
    *,
    to: list[str],
    subject: Promise,
    subject_params: dict[str, str] | None = None,
    template: str,
    context: dict[str, Any],
    language: str,
) -> None:
    with translation.override(language):
        # Formatted here, inside the language of the e-mail; a lazy string formatted earlier would be in
        # the language of whoever triggered it.
        text = str(subject) % subject_params if subject_params else str(subject)
        body = render_to_string(f"tenants/email/{template}.txt", context)
        send_mail(text, body, None, to)


def _link_lifetime(seconds: int) -> str:
    """How long a link works, in the largest whole unit: "2 timmar", "30 minuter", "3 dagar".

    ``PASSWORD_RESET_TIMEOUT`` is in seconds and often less than a day: counting it in days said "0 days".
    """
    if seconds >= 86400 and seconds % 86400 == 0:
        days = seconds // 86400
        return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}
    if seconds >= 3600 and seconds % 3600 == 0:
        hours = seconds // 3600
        return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
    minutes = max(1, seconds // 60)
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}


# Put into the e-mail's context unevaluated: it is worded in the e-mail's language when rendered.
link_lifetime = lazy(_link_lifetime, str)


def _progress_link(application: OnboardingApplication) -> str:
    return public_link(application, reverse("signup-progress", args=[application.public_id], urlconf=_public))


def confirmation_email_send(*, application: OnboardingApplication, token: str) -> None:
    link = public_link(application, reverse("signup-confirm", args=[token], urlconf=_public))
    _send(
        to=[application.contact_email],
        subject=_("Confirm the sign-up of %(municipality)s"),
        subject_params={"municipality": application.municipality_name},
        template="confirm",
        context={
            "application": application,
            "link": link,
            "hours": settings.SIGNUP_CONFIRMATION_MAX_AGE // 3600,
            "host": tenant_host(application.slug),
            "tier": price_tier_for_code(application.municipality_code),
        },
        language=application.language,
    )


def pending_email_send(*, application: OnboardingApplication) -> None:
    _send(
        to=[application.contact_email],
        subject=_("Your sign-up is waiting for approval"),
        template="pending",
        context={"application": application, "link": _progress_link(application)},
        language=application.language,
    )


def board_notice_send(*, application: OnboardingApplication, recipients: list[str]) -> None:
    if not recipients:
        return
    path = reverse("board-application", args=[application.public_id], urlconf=_tenant)
    _send(
        to=recipients,
        subject=_("New sign-up to approve: %(municipality)s"),
        subject_params={"municipality": application.municipality_name},
        template="board_pending",
        context={
            "application": application,
            "link": tenant_link(application, settings.ASSOCIATION_SLUG, path),
        },
        language=settings.LANGUAGE_CODE,
    )


def approved_email_send(*, application: OnboardingApplication) -> None:
    _send(
        to=[application.contact_email],
        subject=_("Your sign-up is approved"),
        template="approved",
        context={"application": application, "link": _progress_link(application)},
        language=application.language,
    )


def rejected_email_send(*, application: OnboardingApplication) -> None:
    _send(
        to=[application.contact_email],
        subject=_("Your sign-up was not approved"),
        template="rejected",
        context={"application": application},
        language=application.language,
    )


def password_link(*, user: User, scheme: str, port: str, slug: str) -> str:
    """A link on the tenant's host to choose a password; call with the tenant's schema active.

    A welcome token (tenants.tokens): it expires (PASSWORD_RESET_TIMEOUT) and stops working once a password
    is set; an ordinary password-reset token does not open this page.
    """
    path = reverse(
        "welcome-password",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": welcome_token_generator.make_token(user),
        },
        urlconf=_tenant,
    )
    return origin_url(scheme=scheme, port=port, host=tenant_host(slug), path=path)


def ready_email_send(*, application: OnboardingApplication, user: User) -> None:
    """Call with the new tenant's schema active (the token is made from the user's row there)."""
    _send(
        to=[user.email],
        subject=_("Your space %(host)s is ready"),
        subject_params={"host": tenant_host(application.slug)},
        template="ready",
        context={
            "application": application,
            "link": password_link(
                user=user, scheme=application.link_scheme, port=application.link_port, slug=application.slug
            ),
            "host": tenant_host(application.slug),
            "lifetime": link_lifetime(settings.PASSWORD_RESET_TIMEOUT),
        },
        language=application.language,
    )


def password_email_send(*, user: User, link: str, network: str, language: str) -> None:
    _send(
        to=[user.email],
        subject=_("Choose your password for %(network)s"),
        subject_params={"network": network},
        template="password",
        context={
            "user": user,
            "link": link,
            "network": network,
            "lifetime": link_lifetime(settings.PASSWORD_RESET_TIMEOUT),
        },
        language=language,
    )
