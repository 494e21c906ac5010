"""Friend matching: requests for a friend family, a language friend or an activity buddy, and the matches
made from them, followed up over months with check-ins and a contact log.

A match always pairs a newcomer request with an established request of the same kind. Each side is one
person or one household (a family asks together; its contact person is ``person``).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from matching.choices import (
    Availability,
    CheckInStatus,
    ContactKind,
    MatchEndReason,
    MatchKind,
    MatchPreference,
    MatchRequestSource,
    MatchRequestStatus,
    MatchStatus,
)
from people.models.people import Household, Person, PersonGroup


class MatchRequest(models.Model):
    """Someone waiting for a match. ``group`` is copied from the person so candidates filter in SQL."""

    kind = models.CharField(_("kind"), max_length=20, choices=MatchKind.choices)
    group = models.CharField(_("group"), max_length=12, choices=PersonGroup.choices)
    person = models.ForeignKey(
        Person, verbose_name=_("person"), related_name="match_requests", on_delete=models.CASCADE
    )
    # Set when the whole family asks; the person is then the family's contact.
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        related_name="match_requests",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    languages = ArrayField(
        models.CharField(max_length=3), verbose_name=_("languages"), default=list, blank=True
    )
    interests = ArrayField(
        models.CharField(max_length=40), verbose_name=_("interests"), default=list, blank=True
    )
    # Birth years rather than ages, so "similar ages" stays true as time passes.
    children_birth_years = ArrayField(
        models.PositiveSmallIntegerField(), verbose_name=_("children's birth years"), default=list, blank=True
    )
    district = models.CharField(_("district"), max_length=80, blank=True)
    availability = ArrayField(
        models.CharField(max_length=10, choices=Availability.choices),
        verbose_name=_("availability"),
        default=list,
        blank=True,
    )
    preferences = ArrayField(
        models.CharField(max_length=20, choices=MatchPreference.choices),
        verbose_name=_("preferences"),
        default=list,
        blank=True,
    )
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MatchRequestStatus.choices, default=MatchRequestStatus.OPEN
    )
    source = models.CharField(
        _("source"), max_length=10, choices=MatchRequestSource.choices, default=MatchRequestSource.STAFF
    )
    withdrawn_reason = models.CharField(_("reason for withdrawing"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("waiting since"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        db_table = "core_matchrequest"
        verbose_name = _("match request")
        verbose_name_plural = _("match requests")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["status", "kind", "group"], name="matchrequest_waiting")]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind"],
                condition=models.Q(status="open"),
                name="matchrequest_one_open_per_person_kind",
            ),
            models.UniqueConstraint(
                fields=["household", "kind"],
                condition=models.Q(status="open"),
                name="matchrequest_one_open_per_household_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} – {self.get_kind_display()}"

    @property
    def display_name(self) -> str:
        if self.household_id is not None and self.household is not None:
            return str(self.household)
        return str(self.person)

    @property
    def is_open(self) -> bool:
        return self.status == MatchRequestStatus.OPEN


class MatchingOptOut(models.Model):
    """A person's decision about being matched. The newest row per person is in force (like Consent)."""

    person = models.ForeignKey(Person, related_name="matching_opt_outs", on_delete=models.CASCADE)
    opted_out = models.BooleanField(_("does not want to be matched"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        db_table = "core_matchingoptout"
        verbose_name = _("matching opt-out")
        verbose_name_plural = _("matching opt-outs")
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["person", "-recorded_at"], name="matchoptout_person_latest")]

    def __str__(self) -> str:
        return f"{self.person}: {'out' if self.opted_out else 'in'}"


class DistrictNeighbour(models.Model):
    """Two districts of this network that count as near each other. Stored once, read both ways.

    Districts are compared case-insensitively; the pair is stored in lower case with ``district_a`` first
    in alphabetical order, so a pair cannot be stored twice.
    """

    district_a = models.CharField(_("district"), max_length=80)
    district_b = models.CharField(_("neighbouring district"), max_length=80)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        db_table = "core_districtneighbour"
        verbose_name = _("neighbouring districts")
        verbose_name_plural = _("neighbouring districts")
        ordering = ["district_a", "district_b"]
        constraints = [
            models.UniqueConstraint(fields=["district_a", "district_b"], name="districtneighbour_unique"),
            models.CheckConstraint(
                condition=models.Q(district_a__lt=models.F("district_b")), name="districtneighbour_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.district_a} – {self.district_b}"


class Match(models.Model):
    """A newcomer request paired with an established request: proposed → active → ended."""

    kind = models.CharField(_("kind"), max_length=20, choices=MatchKind.choices)
    newcomer_request = models.ForeignKey(
        MatchRequest, verbose_name=_("newcomer side"), related_name="+", on_delete=models.PROTECT
    )
    established_request = models.ForeignKey(
        MatchRequest, verbose_name=_("established side"), related_name="+", on_delete=models.PROTECT
    )
    status = models.CharField(
        _("status"), max_length=10, choices=MatchStatus.choices, default=MatchStatus.PROPOSED
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coordinator"),
        related_name="coordinated_matches",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    # Dated steps: statistics count matches per month from these.
    proposed_on = models.DateField(_("proposed"))
    started_on = models.DateField(_("started"), null=True, blank=True)
    ended_on = models.DateField(_("ended"), null=True, blank=True)
    end_reason = models.CharField(
        _("reason for ending"), max_length=20, choices=MatchEndReason.choices, blank=True
    )
    end_note = models.CharField(_("note on ending"), max_length=200, blank=True)
    first_meeting_at = models.DateTimeField(_("first meeting"), null=True, blank=True)
    first_meeting_place = models.CharField(_("place of the first meeting"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        db_table = "core_match"
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        ordering = ["-proposed_on", "-id"]
        indexes = [models.Index(fields=["status"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(newcomer_request=models.F("established_request")),
                name="match_two_sides",
            ),
            models.CheckConstraint(
                condition=models.Q(started_on__isnull=True)
                | models.Q(started_on__gte=models.F("proposed_on")),
                name="match_starts_after_proposal",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("proposed_on")),
                name="match_ends_after_proposal",
            ),
            models.CheckConstraint(
                condition=models.Q(status="ended", ended_on__isnull=False) & ~models.Q(end_reason="")
                | ~models.Q(status="ended") & models.Q(ended_on__isnull=True, end_reason=""),
                name="match_ended_has_date_and_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="active") | models.Q(started_on__isnull=False),
                name="match_active_has_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.newcomer_request.display_name} & {self.established_request.display_name}"


# Months after the start of a match at which the coordinator checks in with the pair.
CHECK_IN_MONTHS = (1, 3, 6)


class CheckIn(models.Model):
    """A planned follow-up of an active match. The due-check-in task reminds the coordinator once."""

    match = models.ForeignKey(Match, related_name="check_ins", on_delete=models.CASCADE)
    months = models.PositiveSmallIntegerField(_("months after the start"))
    due_on = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=10, choices=CheckInStatus.choices, default=CheckInStatus.PLANNED
    )
    # Set when the reminder e-mail went out; the task never sends twice for the same check-in.
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    reminded_to = models.CharField(_("reminder sent to"), max_length=500, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        db_table = "core_checkin"
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"], name="checkin_due")]
        constraints = [
            models.UniqueConstraint(fields=["match", "months"], name="checkin_once_per_month_mark"),
        ]

    def __str__(self) -> str:
        return f"{self.match}: {self.months} ({self.due_on})"


class MatchContact(models.Model):
    """A contact the coordinator knows of. No contact for 30 days puts the pair on the follow-up list."""

    match = models.ForeignKey(Match, related_name="contacts", on_delete=models.CASCADE)
    kind = models.CharField(_("kind of contact"), max_length=10, choices=ContactKind.choices)
    happened_on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    logged_at = models.DateTimeField(_("logged"), auto_now_add=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        db_table = "core_matchcontact"
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-happened_on", "-id"]
        indexes = [models.Index(fields=["match", "-happened_on"], name="matchcontact_latest")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.happened_on}"
