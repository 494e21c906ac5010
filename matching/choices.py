"""The matching app's vocabulary: the choices its models store and other apps may name.

Other apps import these from here, never from ``matching.models`` (the import contracts in pyproject.toml).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from activities.choices import Arena


class MatchKind(models.TextChoices):
    FRIEND_FAMILY = "friend_family", _("Friend family")
    LANGUAGE_FRIEND = "language_friend", _("Language friend")
    ACTIVITY_BUDDY = "activity_buddy", _("Activity buddy")


class Availability(models.TextChoices):
    WEEKDAYS = "weekdays", _("Weekdays")
    EVENINGS = "evenings", _("Evenings")
    WEEKENDS = "weekends", _("Weekends")


class MatchPreference(models.TextChoices):
    # Same gender is a firm wish: never suggest anyone else (both ways).
    SAME_GENDER = "same_gender", _("Same gender")
    # A family with children is a wish that earns points when met.
    WITH_CHILDREN = "with_children", _("A family with children")


class MatchRequestStatus(models.TextChoices):
    OPEN = "open", _("Waiting")
    MATCHED = "matched", _("Matched")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class MatchRequestSource(models.TextChoices):
    STAFF = "staff", _("Registered by staff")
    PUBLIC = "public", _("Public sign-up")


class MatchStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")


class MatchEndReason(models.TextChoices):
    DECLINED = "declined", _("Declined before starting")
    COMPLETED = "completed", _("Completed: the friendship goes on by itself")
    NO_CONTACT = "no_contact", _("Contact stopped")
    MOVED = "moved", _("Moved away")
    NOT_A_FIT = "not_a_fit", _("Did not fit")
    OTHER = "other", _("Other")


class CheckInStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class ContactKind(models.TextChoices):
    MET = "met", _("Met")
    PHONED = "phoned", _("Phoned")
    ACTIVITY = "activity", _("Activity together")


class PathwayStage(models.TextChoices):
    INTEREST = "interest", _("Interest")
    REFERRED = "referred", _("Referred")
    STARTED = "started", _("Started")
    ESTABLISHED = "established", _("Established")
    ENDED = "ended", _("Ended")


class PathwayOutcome(models.TextChoices):
    CLUB_MEMBER = "club_member", _("Member of the club")
    INTERNSHIP = "internship", _("Internship")
    JOB = "job", _("Job")
    STUDIES = "studies", _("Studies")
    VOLUNTEERING = "volunteering", _("Volunteering")
    OTHER = "other", _("Other")


class PathwayEndReason(models.TextChoices):
    LOST_INTEREST = "lost_interest", _("Lost interest")
    NOT_ACCEPTED = "not_accepted", _("Not accepted by the partner")
    MOVED = "moved", _("Moved away")
    NO_CONTACT = "no_contact", _("Lost contact")
    OTHER = "other", _("Other")


# The arenas a pathway leads into; Arena.GENERAL is for activities only.
PATHWAY_ARENAS = (Arena.CLUB_LIFE, Arena.COMMUNITY_LIFE, Arena.WORKING_LIFE)
PATHWAY_ARENA_CHOICES = [(arena.value, arena.label) for arena in PATHWAY_ARENAS]
