"""Activities (meeting places), their sessions, registrations, attendance and volunteer hours."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from activities.choices import (
    ActivityCategory,
    Arena,
    AttendanceStatus,
    Audience,
    RegistrationStatus,
    ScheduleKind,
    SessionStatus,
)
from partners.models import Partner
from people.models.people import Person


class Activity(models.Model):
    title = models.CharField(_("title"), max_length=160)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("category"), max_length=20, choices=ActivityCategory.choices)
    arena = models.CharField(_("arena"), max_length=20, choices=Arena.choices, default=Arena.GENERAL)
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices, default=Audience.ALL)
    partner = models.ForeignKey(
        Partner,
        verbose_name=_("partner"),
        related_name="activities",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    leaders = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("leaders"), related_name="led_activities", blank=True
    )
    # None means no limit.
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    languages = ArrayField(
        models.CharField(max_length=3), verbose_name=_("languages spoken"), default=list, blank=True
    )
    is_public = models.BooleanField(_("shown on the public pages"), default=True)
    is_active = models.BooleanField(_("active"), default=True)

    # The schedule: weekly on chosen days between two dates, or single dates (sessions added one by one).
    schedule_kind = models.CharField(
        _("schedule"), max_length=10, choices=ScheduleKind.choices, default=ScheduleKind.WEEKLY
    )
    weekdays = ArrayField(
        models.PositiveSmallIntegerField(),
        verbose_name=_("weekdays"),
        default=list,
        blank=True,
        help_text=_("0 = Monday … 6 = Sunday."),
    )
    start_time = models.TimeField(_("starts at"), null=True, blank=True)
    end_time = models.TimeField(_("ends at"), null=True, blank=True)
    starts_on = models.DateField(_("first date"), null=True, blank=True)
    ends_on = models.DateField(_("last date"), null=True, blank=True)

    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        db_table = "core_activity"
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="activity_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(end_time__isnull=True)
                | models.Q(start_time__isnull=True)
                | models.Q(end_time__gt=models.F("start_time")),
                name="activity_end_time_after_start_time",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Session(models.Model):
    """One occurrence of an activity, with attendance."""

    activity = models.ForeignKey(Activity, related_name="sessions", on_delete=models.CASCADE)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    # When the session was first planned: generation from the schedule is idempotent on it, and a moved
    # session keeps it, so regenerating never brings back the old time.
    scheduled_start = models.DateTimeField(_("originally planned"))
    place = models.CharField(
        _("place"), max_length=200, blank=True, help_text=_("Empty: the activity's place.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        db_table = "core_session"
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["starts_at"]), models.Index(fields=["activity", "starts_at"])]
        constraints = [
            models.UniqueConstraint(fields=["activity", "scheduled_start"], name="session_unique_per_plan"),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED

    @property
    def is_moved(self) -> bool:
        return self.starts_at != self.scheduled_start


class Registration(models.Model):
    """A person's place in an activity. The waiting list is ordered by when people registered."""

    activity = models.ForeignKey(Activity, related_name="registrations", on_delete=models.CASCADE)
    person = models.ForeignKey(Person, related_name="registrations", on_delete=models.CASCADE)
    status = models.CharField(_("status"), max_length=12, choices=RegistrationStatus.choices)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        db_table = "core_registration"
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "person"],
                condition=~models.Q(status="cancelled"),
                name="registration_one_open_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.activity} ({self.status})"


class Attendance(models.Model):
    """One person at one session. Funders count the rows with status present (deltagartillfällen)."""

    session = models.ForeignKey(Session, related_name="attendances", on_delete=models.CASCADE)
    person = models.ForeignKey(Person, related_name="attendances", on_delete=models.CASCADE)
    status = models.CharField(_("status"), max_length=10, choices=AttendanceStatus.choices)
    is_walk_in = models.BooleanField(_("walk-in"), default=False)
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        db_table = "core_attendance"
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="attendance_one_per_session")
        ]
        indexes = [models.Index(fields=["person", "status"])]

    def __str__(self) -> str:
        return f"{self.person} @ {self.session}: {self.status}"


class AttendanceChange(models.Model):
    """Who changed an attendance mark, when, from what to what. Written by the attendance service only."""

    attendance = models.ForeignKey(Attendance, related_name="changes", on_delete=models.CASCADE)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.SET_NULL, null=True, blank=True
    )
    changed_at = models.DateTimeField(_("changed"), auto_now_add=True)
    before = models.CharField(_("before"), max_length=10, blank=True)
    after = models.CharField(_("after"), max_length=10)

    class Meta:
        db_table = "core_attendancechange"
        verbose_name = _("attendance change")
        verbose_name_plural = _("attendance changes")
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.before or '–'} → {self.after}"


class VolunteerHours(models.Model):
    """Time a leader gave: logged per session (or per activity and day when there was no session)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="volunteer_hours", on_delete=models.CASCADE
    )
    activity = models.ForeignKey(Activity, related_name="volunteer_hours", on_delete=models.CASCADE)
    session = models.ForeignKey(
        Session, related_name="volunteer_hours", on_delete=models.SET_NULL, null=True, blank=True
    )
    date = models.DateField(_("date"))
    minutes = models.PositiveIntegerField(_("minutes"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("logged"), auto_now_add=True)

    class Meta:
        db_table = "core_volunteerhours"
        verbose_name = _("volunteer hours")
        verbose_name_plural = _("volunteer hours")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minutes__gt=0) & models.Q(minutes__lte=24 * 60), name="hours_within_a_day"
            ),
            models.UniqueConstraint(
                fields=["user", "session"],
                condition=models.Q(session__isnull=False),
                name="hours_once_per_session",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.date}: {self.minutes} min"
