"""The activities app's vocabulary: the choices its models store and other apps may name.

Other apps import these from here, never from ``activities.models`` (the import contracts in pyproject.toml).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ActivityCategory(models.TextChoices):
    LANGUAGE_CAFE = "language_cafe", _("Language café")
    FAMILY = "family", _("Family activity")
    SPORT = "sport", _("Sport")
    OUTING = "outing", _("Outing")
    HOMEWORK_HELP = "homework_help", _("Homework help")
    JOB_CLUB = "job_club", _("Job club")
    CULTURE = "culture", _("Culture")
    OTHER = "other", _("Other")


class Arena(models.TextChoices):
    CLUB_LIFE = "club_life", _("Club life")
    COMMUNITY_LIFE = "community_life", _("Community life")
    WORKING_LIFE = "working_life", _("Working life")
    GENERAL = "general", _("General")


class Audience(models.TextChoices):
    CHILDREN = "children", _("Children")
    YOUTH = "youth", _("Youth")
    ADULTS = "adults", _("Adults")
    FAMILIES = "families", _("Families")
    ALL = "all", _("Everyone")


class ScheduleKind(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    SINGLE = "single", _("Single dates")


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    EXCUSED = "excused", _("Excused")
    ABSENT = "absent", _("Absent")


class FunderKind(models.TextChoices):
    ARVSFONDEN = "arvsfonden", _("Allmänna Arvsfonden")
    REGION = "region", _("Region")
    LANSSTYRELSEN = "lansstyrelsen", _("Länsstyrelsen")
    FOUNDATION = "foundation", _("Foundation")
    MUNICIPALITY = "municipality", _("Municipality")
    OTHER = "other", _("Other")
