"""The people models, in the tenant's schema. Their tables keep the names they had in ``core``."""

from people.models.imports import PersonImport
from people.models.people import (
    Consent,
    ConsentPurpose,
    Gender,
    Household,
    HouseholdRole,
    Person,
    PersonGroup,
)

__all__ = [
    "Consent",
    "ConsentPurpose",
    "Gender",
    "Household",
    "HouseholdRole",
    "Person",
    "PersonGroup",
    "PersonImport",
]
