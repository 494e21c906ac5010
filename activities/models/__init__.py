"""The activities models, in the tenant's schema. Their tables keep the names they had in ``core``."""

from activities.models.activities import (
    Activity,
    ActivityCategory,
    Arena,
    Attendance,
    AttendanceChange,
    AttendanceStatus,
    Audience,
    Registration,
    RegistrationStatus,
    ScheduleKind,
    Session,
    SessionStatus,
    VolunteerHours,
)
from activities.models.projects import FunderKind, Project, ReportingDate

__all__ = [
    "Activity",
    "ActivityCategory",
    "Arena",
    "Attendance",
    "AttendanceChange",
    "AttendanceStatus",
    "Audience",
    "FunderKind",
    "Project",
    "Registration",
    "RegistrationStatus",
    "ReportingDate",
    "ScheduleKind",
    "Session",
    "SessionStatus",
    "VolunteerHours",
]
