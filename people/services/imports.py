"""Importing households and people from a CSV file: prepare (parse, keep on the server), then commit.

The commit is all or nothing: one transaction; if any row cannot be saved, nothing is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.errors import DomainError
from core.signals import counted_data_changed
from core.text import normalise_instance_text
from people.importer import ImportFileError, ImportRow, ParsedFile, parse_people_csv
from people.models import Household, Person, PersonImport
from people.services.people import PeopleError, PersonInput, check_model, person_fill

# An import not committed within this time is abandoned and removed at the next upload.
IMPORT_LIFETIME = dt.timedelta(days=1)
BATCH_SIZE = 1000


class PersonImportError(DomainError):
    """The import cannot be committed; the message says why (with the row number when it is one row's)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class PreparedImport:
    parsed: ParsedFile
    # None when the file has errors: there is nothing to commit, so nothing is kept.
    batch: PersonImport | None


@dataclass(frozen=True)
class ImportResult:
    people: int
    households: int


def person_import_prepare(
    *, actor: User, file_name: str, data: bytes, default_group: str = ""
) -> PreparedImport:
    """Parse ``data``; if every row is fine, keep the rows on the server for the preview and the commit.

    Raises ``ImportFileError`` when the file itself is unusable.
    """
    parsed = parse_people_csv(data, default_group=default_group)
    if parsed.errors:
        return PreparedImport(parsed=parsed, batch=None)
    with transaction.atomic():
        # One pending import per user; abandoned ones disappear after a day.
        PersonImport.objects.filter(created_by=actor).delete()
        PersonImport.objects.filter(created_at__lt=timezone.now() - IMPORT_LIFETIME).delete()
        batch = PersonImport.objects.create(
            created_by=actor, file_name=file_name[:255], rows=[row.to_json() for row in parsed.rows]
        )
    return PreparedImport(parsed=parsed, batch=batch)


def _person_input(row: ImportRow) -> PersonInput:
    return PersonInput(
        first_name=row.first_name,
        last_name=row.last_name,
        birth_date=dt.date.fromisoformat(row.birth_date) if row.birth_date else None,
        birth_year=row.birth_year,
        gender=row.gender,
        group=row.group,
        languages=tuple(row.languages),
        phone=row.phone,
        email=row.email,
        district=row.district,
    )


@transaction.atomic
def person_import_commit(*, actor: User, batch: PersonImport) -> ImportResult:
    """Create the file's households and people, all of them or none, and forget the file."""
    # Lock the pending import: a double click must not import the file twice.
    locked = PersonImport.objects.select_for_update().filter(pk=batch.pk, created_by=actor).first()
    if locked is None:
        raise PersonImportError(_("This import has already been committed or was replaced by a newer file."))
    rows = [ImportRow.from_json(data) for data in locked.rows]
    households: dict[str, Household] = {}
    for row in rows:
        if row.household and row.household not in households:
            households[row.household] = Household(name=row.household, district=row.district)
    for household in households.values():
        # bulk_create sends no pre_save: clean the text here as every save does (core.text).
        normalise_instance_text(household)
        check_model(household)
    Household.objects.bulk_create(households.values(), batch_size=BATCH_SIZE)

    people = []
    for row in rows:
        person = Person(household=households.get(row.household), created_by=actor)
        try:
            person_fill(person, _person_input(row))
            normalise_instance_text(person)
            # The household and the user were just created or loaded: skip full_clean's lookup per row.
            check_model(person, exclude=["household", "created_by"])
        except PeopleError as error:
            raise PersonImportError(
                _("Row %(row)s: %(message)s Nothing was imported.")
                % {"row": row.row, "message": error.message}
            ) from error
        people.append(person)
    Person.objects.bulk_create(people, batch_size=BATCH_SIZE)
    locked.delete()
    counted_data_changed(day=timezone.now())
    return ImportResult(people=len(people), households=len(households))


__all__ = [
    "ImportFileError",
    "ImportResult",
    "PersonImportError",
    "PreparedImport",
    "person_import_commit",
    "person_import_prepare",
]
