"""A local network's public pages: what the admin writes there, and the sign-ups that come in."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _


class PortalSettings(models.Model):
    """The start page's text and contact details. One row per tenant (see portal_settings_get)."""

    intro = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("Shown at the top of the start page. Short paragraphs in plain language work best."),
    )
    # The admin may write the introduction in the newcomers' languages too; a missing one falls back to
    # the Swedish text above. Keys are language codes from settings.LANGUAGES.
    intro_translations = models.JSONField(_("introduction in other languages"), default=dict, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=120, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    meeting_place = models.CharField(_("where we usually meet"), max_length=200, blank=True)
    show_partners = models.BooleanField(_("show our partners' names"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("public page settings")
        verbose_name_plural = _("public page settings")

    def __str__(self) -> str:
        return str(_("Public page settings"))

    def intro_in(self, language: str) -> str:
        return str(self.intro_translations.get(language) or self.intro)


class SignupGroup(models.TextChoices):
    NEWCOMER = "newcomer", _("I am new in Sweden")
    ESTABLISHED = "established", _("I have lived in Sweden a long time")
    VOLUNTEER = "volunteer", _("I want to be a volunteer")


class Wish(models.TextChoices):
    ACTIVITY = "activity", _("Take part in an activity")
    FRIEND_FAMILY = "friend_family", _("A friend family")
    LANGUAGE_FRIEND = "language_friend", _("A language friend")
    CLUB = "club", _("Help to find a club or sport")
    JOB = "job", _("Help towards a job")


class SignupStatus(models.TextChoices):
    NEW = "new", _("New")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Not accepted")


class Signup(models.Model):
    """A sign-up from the public pages. It waits in the coordinators' inbox; it is never the register."""

    group = models.CharField(_("group"), max_length=12, choices=SignupGroup.choices)
    contact_first_name = models.CharField(_("first name"), max_length=80)
    contact_last_name = models.CharField(_("last name"), max_length=80, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    district = models.CharField(_("where you live"), max_length=80, blank=True)
    languages = ArrayField(
        models.CharField(max_length=3), verbose_name=_("languages"), default=list, blank=True
    )
    activity = models.ForeignKey(
        "activities.Activity",
        verbose_name=_("activity"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="signups",
    )
    message = models.TextField(_("message"), blank=True)
    language = models.CharField(_("language of the form"), max_length=5)
    consent = models.BooleanField(_("consent to be contacted and registered"))
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=SignupStatus.choices, default=SignupStatus.NEW
    )
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.SET_NULL, null=True, blank=True
    )
    reject_reason = models.CharField(_("reason"), max_length=200, blank=True)
    household = models.ForeignKey(
        "people.Household", related_name="+", on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(consent=True), name="signup_requires_consent"),
        ]

    def __str__(self) -> str:
        return f"{self.contact_first_name} {self.contact_last_name}".strip()


class SignupMember(models.Model):
    """One person of a sign-up: the one who filled in the form is the first member."""

    signup = models.ForeignKey(Signup, related_name="members", on_delete=models.CASCADE)
    first_name = models.CharField(_("first name"), max_length=80)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    wishes = ArrayField(
        models.CharField(max_length=20, choices=Wish.choices),
        verbose_name=_("wishes"),
        default=list,
        blank=True,
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("member of a sign-up")
        verbose_name_plural = _("members of sign-ups")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.first_name
