"""Donations, in each tenant's own schema: its Swish number, its campaigns and the card gifts it received."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# Swish's own limit for the message of a payment.
SWISH_MESSAGE_MAX = 50
MAX_DONATION_SEK = 150_000


def normalize_swish_number(raw: str) -> str:
    return "".join(ch for ch in raw if ch.isdigit())


def swish_number_kind(digits: str) -> str:
    """Which kind of Swish number the digits are: ``"123"``, ``"90"`` or ``""`` for neither.

    Businesses and associations (Swish Företag and Swish Förening) have ten-digit numbers starting 123.
    Fundraising charities with a 90-account from Svensk Insamlingskontroll have seven-digit numbers
    starting 90 (e.g. 900 1223). Private persons' numbers (mobile numbers, 07…) are not for organisations.
    """
    if len(digits) == 10 and digits.startswith("123"):
        return "123"
    if len(digits) == 7 and digits.startswith("90"):
        return "90"
    return ""


def format_swish_number(raw: str) -> str:
    """As Swish writes them: ``123 456 78 90`` and ``900 1223``; anything else as its digits."""
    d = normalize_swish_number(raw)
    kind = swish_number_kind(d)
    if kind == "123":
        return f"{d[:3]} {d[3:6]} {d[6:8]} {d[8:]}"
    if kind == "90":
        return f"{d[:3]} {d[3:]}"
    return d


def validate_swish_number(value: str) -> None:
    if not swish_number_kind(normalize_swish_number(value)):
        raise ValidationError(
            _(
                "A Swish number for organisations has 10 digits and starts with 123 (e.g. 123 456 78 90), "
                "or, for a fundraising charity's 90-account, 7 digits starting with 90 (e.g. 900 1223)."
            )
        )


def validate_swish_message(value: str) -> None:
    # Swish accepts letters, digits and a few signs; a semicolon would break the QR code's fields.
    if ";" in value:
        raise ValidationError(_("The message cannot contain a semicolon."))


class SwishSettings(models.Model):
    """The network's Swish number; one row per tenant schema."""

    swish_number = models.CharField(_("Swish number"), max_length=20, validators=[validate_swish_number])
    payee_name = models.CharField(
        _("Name shown to donors"), max_length=100, blank=True, help_text=_("Usually the association's name.")
    )
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("Swish settings")
        verbose_name_plural = _("Swish settings")

    def __str__(self) -> str:
        return self.formatted_number

    @property
    def formatted_number(self) -> str:
        return format_swish_number(self.swish_number)


class DonationCampaign(models.Model):
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"), blank=True, max_length=1000)
    amount_sek = models.PositiveIntegerField(
        _("suggested amount (SEK)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_DONATION_SEK)],
        help_text=_("Empty: the donor chooses."),
    )
    message = models.CharField(
        _("Swish message"),
        max_length=SWISH_MESSAGE_MAX,
        blank=True,
        validators=[validate_swish_message],
        help_text=_("Shown in the donor's Swish app, e.g. “Julinsamling”. At most 50 characters."),
    )
    is_active = models.BooleanField(_("shown on the donate page"), default=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-is_active", "-created", "-id"]

    def __str__(self) -> str:
        return self.title


class Donation(models.Model):
    """A card gift through Stripe Checkout, recorded from Stripe's webhook (Swish gifts go straight to the bank)."""

    campaign = models.ForeignKey(
        DonationCampaign,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="donations",
        verbose_name=_("campaign"),
    )
    amount_ore = models.PositiveIntegerField(_("amount (öre)"))
    currency = models.CharField(_("currency"), max_length=3, default="sek")
    stripe_payment_intent_id = models.CharField(_("Stripe payment"), max_length=100, unique=True)
    stripe_checkout_session_id = models.CharField(_("Stripe Checkout session"), max_length=100, blank=True)
    paid_at = models.DateTimeField(_("paid"))
    created = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("donation")
        verbose_name_plural = _("donations")
        ordering = ["-paid_at", "-id"]

    def __str__(self) -> str:
        return f"{self.amount_ore / 100:.2f} {self.currency.upper()}"
