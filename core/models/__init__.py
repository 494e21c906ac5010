"""The local network's own data. Everything here lives in the tenant's schema."""

from core.models.activities import (
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
from core.models.imports import PersonImport
from core.models.partners import Partner, PartnerContact, PartnerKind
from core.models.people import (
    Consent,
    ConsentPurpose,
    Gender,
    Household,
    HouseholdRole,
    Person,
    PersonGroup,
)
from core.models.projects import FunderKind, Project, ReportingDate

__all__ = [
    "Activity",
    "ActivityCategory",
    "Arena",
    "Attendance",
    "AttendanceChange",
    "AttendanceStatus",
    "Audience",
    "Consent",
    "ConsentPurpose",
    "FunderKind",
    "Gender",
    "Household",
    "HouseholdRole",
    "Partner",
    "PartnerContact",
    "PartnerKind",
    "Person",
    "PersonGroup",
    "PersonImport",
    "Project",
    "Registration",
    "RegistrationStatus",
    "ReportingDate",
    "ScheduleKind",
    "Session",
    "SessionStatus",
    "VolunteerHours",
]
