"""Reads for CSV imports: the pending import of a user and what its preview shows."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from people.importer import FileDuplicate, ImportRow, duplicates_in_file
from people.models import PersonImport
from people.selectors.people import Actor, DuplicateMatch, Probe, find_duplicates

PREVIEW_ROWS = 100


def get_import_for_actor(*, actor: Actor, pk: int) -> PersonImport:
    """A pending import, only for the actor who uploaded it; the same 404 for missing and not yours."""
    batch = PersonImport.objects.filter(pk=pk, created_by_id=getattr(actor, "pk", None)).first()
    if batch is None:
        raise Http404
    return batch


@dataclass(frozen=True)
class ImportPreview:
    rows: list[ImportRow]
    households: list[str]
    in_file: list[FileDuplicate]
    # Row number → people already registered who may be the same person.
    in_register: dict[int, list[DuplicateMatch]]

    @property
    def has_duplicates(self) -> bool:
        return bool(self.in_file or self.in_register)

    @property
    def rows_to_show(self) -> list[ImportRow]:
        """The first rows and every row with a warning, so a long file stays readable."""
        flagged = {d.row for d in self.in_file} | set(self.in_register)
        return [row for index, row in enumerate(self.rows) if index < PREVIEW_ROWS or row.row in flagged]


def import_preview(*, actor: Actor, rows: list[ImportRow]) -> ImportPreview:
    """What an import would do: the rows, the new households, and duplicates in the file and the register."""
    probes = [Probe(r.first_name, r.last_name, r.birth_year, r.phone, r.email) for r in rows]
    matches = find_duplicates(user=actor, probes=probes)
    return ImportPreview(
        rows=rows,
        households=list(dict.fromkeys(r.household for r in rows if r.household)),
        in_file=duplicates_in_file(rows),
        in_register={rows[index].row: found for index, found in matches.items()},
    )


def pending_rows(batch: PersonImport) -> list[ImportRow]:
    return [ImportRow.from_json(data) for data in batch.rows]
