"""The privacy notice at /privacy/: made from the register of personal data, in every public language,
with the tenant's own retention limit, controller and contact."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.html import escape

from accounts.roles import Role
from conftest import demo_user, tenant_client
from donations.models import Donation
from portal.models import PortalSettings
from privacy.register import CATEGORIES, Audience, Category, Retention, retention_sentence
from privacy.services import retention_setting_update
from tenants.models import Municipality

pytestmark = pytest.mark.django_db

PUBLIC_LANGUAGES = [
    ("sv", "ltr"),
    ("en", "ltr"),
    ("ar", "rtl"),
    ("prs", "rtl"),
    ("ti", "ltr"),
    ("so", "ltr"),
    ("uk", "ltr"),
]
TEMPLATE = Path(settings.BASE_DIR) / "templates" / "portal" / "privacy.html"


def in_language(code: str) -> Client:
    client = tenant_client("varnamo")
    client.post("/i18n/setlang/", {"language": code, "next": "/"})
    return client


def notice(code: str = "sv") -> str:
    return in_language(code).get("/privacy/").content.decode()


def assert_no_donations_yet(varnamo: Municipality) -> None:
    with varnamo:
        assert not Donation.objects.exists()


def _category_texts(category: Category) -> list[str]:
    """Everything of one category the page must show, in the active language."""
    return [
        str(category.title),
        str(category.purpose),
        str(category.basis.label),
        *(str(group.label) for group in category.groups),
        *(str(recipient.label) for recipient in category.recipients),
    ]


@pytest.mark.parametrize(("code", "direction"), PUBLIC_LANGUAGES)
def test_every_category_is_on_the_page_in_every_public_language(
    code: str, direction: str, settings: Any
) -> None:
    settings.STRIPE_SECRET_KEY = "sk_test_notice"  # the tenant takes card gifts: that category shows too
    body = notice(code)
    assert f'<html lang="{code}" dir="{direction}">' in body
    with translation.override(code):
        for category in CATEGORIES:
            assert f'id="category-{category.key}"' in body
            for text in _category_texts(category):
                assert escape(text) in body, (code, category.key, text)
        for audience in Audience:
            assert escape(str(audience.label)) in body
        months = retention_sentence(
            Retention.INACTIVITY, months=24, login_days=settings.LOGIN_RECORDS_RETENTION_DAYS
        )
        assert escape(months) in body


def _template_msgids() -> list[str]:
    """The page's own sentences, as gettext sees them ({{ name }} in a blocktranslate is %(name)s)."""
    source = TEMPLATE.read_text()
    msgids = [msgid for _quote, msgid in re.findall(r"""{% translate (["'])(.+?)\1 %}""", source)]
    for block in re.findall(r"{% blocktranslate[^%]*%}(.*?){% endblocktranslate %}", source, re.S):
        msgids.append(re.sub(r"{{ (\w+) }}", r"%(\1)s", block))
    return msgids


def _register_msgids() -> list[str]:
    texts: list[str | Promise] = []
    for category in CATEGORIES:
        texts += [category.title, category.purpose, *(group.label for group in category.groups)]
    texts += [audience.label for audience in Audience]
    texts += [category.basis.label for category in CATEGORIES]
    texts += [recipient.label for category in CATEGORIES for recipient in category.recipients]
    with translation.override("en"):
        return sorted({str(text) for text in texts})


def _retention_sentences(code: str) -> list[str]:
    """Every retention sentence, with figures that pick each plural form of the seven languages."""
    with translation.override(code):
        return [
            retention_sentence(rule, months=figure, login_days=figure)
            for rule in Retention
            for figure in (1, 2, 5, 11, 24, 100)
        ]


@pytest.mark.parametrize("code", ["sv", "ar", "prs", "ti", "so", "uk"])
def test_no_sentence_of_the_notice_is_left_in_english(code: str) -> None:
    with translation.override(code):
        untranslated = [
            msgid
            for msgid in [*_template_msgids(), *_register_msgids()]
            if translation.gettext(msgid) == msgid
        ]
    english = _retention_sentences("en")
    untranslated += [
        sentence
        for sentence, source in zip(_retention_sentences(code), english, strict=True)
        if sentence == source
    ]
    assert untranslated == []
    assert len(_template_msgids()) > 10  # the pattern still finds the template's sentences


def test_the_page_shows_the_tenants_own_retention_limit(varnamo: Municipality) -> None:
    assert "Tills 24 månader har gått utan någon aktivitet från dig." in notice()
    with varnamo:
        retention_setting_update(actor=demo_user("varnamo", Role.ADMIN), months=18)
    body = notice()
    assert "Tills 18 månader har gått utan någon aktivitet från dig." in body
    assert "Raderas 18 månader efter att vi senast hanterade den" in body
    assert "24 månader" not in body
    with varnamo:
        retention_setting_update(actor=demo_user("varnamo", Role.ADMIN), months=1)
    assert "Tills 1 månad har gått" in notice()
    assert "حتى تمضي 1 شهر" in notice("ar")


def test_the_login_records_period_is_the_configured_one(settings: Any) -> None:
    settings.LOGIN_RECORDS_RETENTION_DAYS = 30
    assert "Raderas senast efter 30 dagar." in notice()


def test_card_gifts_and_stripe_only_when_the_tenant_takes_them(varnamo: Municipality, settings: Any) -> None:
    settings.STRIPE_SECRET_KEY = ""
    assert_no_donations_yet(varnamo)
    body = notice()
    assert "Kortgåvor" not in body
    assert "Stripe" not in body
    # A gift received earlier is still kept, so it stays on the notice even when cards are turned off.
    with varnamo:
        Donation.objects.create(
            amount_ore=10000, stripe_payment_intent_id="pi_notice", paid_at=timezone.now()
        )
    body = notice()
    assert "Kortgåvor" in body
    assert "Stripe, som hanterar kortbetalningar åt oss." in body


def test_the_controller_is_the_tenant_with_its_public_contact(varnamo: Municipality) -> None:
    with varnamo:
        PortalSettings.objects.update_or_create(
            pk=1,
            defaults={
                "contact_name": "Sara Samordnare",
                "contact_email": "integritet@varnamo.example",
                "contact_phone": "0370-123 45",
            },
        )
    body = notice()
    assert "Värnamo är personuppgiftsansvarig för dina personuppgifter" in body
    assert 'href="mailto:integritet@varnamo.example"' in body
    assert "Sara Samordnare" in body
    assert "0370-123 45" in body
    assert "Integritetsskyddsmyndigheten (IMY)" in body
    assert 'href="https://www.imy.se/"' in body


def test_the_rights_are_all_there() -> None:
    body = notice()
    for right in [
        "Att se allt vi sparar om dig, och få det som en fil.",
        "Att få felaktiga uppgifter rättade.",
        "Bara det som vår statistik räknar finns kvar, utan ditt namn: ditt födelseår",
        "Att när som helst ta tillbaka ett samtycke. Det gäller direkt",
    ]:
        assert right in body


def test_the_page_has_one_heading_per_category_under_its_audience() -> None:
    body = notice()
    assert body.count("<h1") == 1
    assert body.count("<h3") == len([c for c in CATEGORIES if not c.card_gifts_only])
    assert body.index("Om du deltar i våra aktiviteter") < body.index('id="category-identity"')
