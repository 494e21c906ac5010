"""Reading a CSV file of households and people, as Swedish spreadsheet programs save it.

Excel and LibreOffice with Swedish settings save "CSV" with semicolons, in Windows-1252 or in UTF-8 with a
byte order mark; other tools write comma-separated UTF-8. All of these are read. Headers may be Swedish
(Förnamn;Efternamn;Födelseår;Kön;Grupp;Hushåll;Telefon;E-post;Språk;Område) or English.

This module only parses and checks; it touches no database. A problem with the whole file raises
``ImportFileError``; a problem with one cell becomes a ``RowError`` with the row number as the spreadsheet
shows it (the header is row 1) and the column as written in the file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from core.contact import normalise_email, normalise_phone
from core.languages import language_lookup
from people.models import Gender, PersonGroup

MAX_ROWS = 20_000


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message says why and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportRow:
    """One person from the file, checked and in canonical form (phone, e-mail, language codes)."""

    row: int
    first_name: str = ""
    last_name: str = ""
    birth_year: int | None = None
    birth_date: str | None = None  # ISO date; kept as text so the row can be stored as JSON
    gender: str = Gender.NOT_STATED
    group: str = ""
    household: str = ""
    phone: str = ""
    email: str = ""
    languages: list[str] = field(default_factory=list)
    district: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ImportRow:
        return cls(**data)

    @property
    def group_label(self) -> str:
        return str(PersonGroup(self.group).label) if self.group in PersonGroup.values else self.group

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass
class ParsedFile:
    rows: list[ImportRow]
    errors: list[RowError]
    headers: list[str]


# Header spellings people actually use, in Swedish and English, compared case- and space-insensitively.
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "first_name": ("förnamn", "fornamn", "first name", "firstname", "first_name", "given name"),
    "last_name": ("efternamn", "last name", "lastname", "last_name", "surname", "family name"),
    "birth": (
        "födelseår",
        "fodelsear",
        "födelsedatum",
        "född",
        "birth year",
        "birth_year",
        "year of birth",
        "birth date",
        "birthdate",
        "date of birth",
    ),
    "gender": ("kön", "kon", "gender", "sex"),
    "group": ("grupp", "group"),
    "household": ("hushåll", "hushall", "familj", "household", "family"),
    "phone": ("telefon", "telefonnummer", "mobil", "mobilnummer", "phone", "mobile", "telephone"),
    "email": ("e-post", "epost", "e-postadress", "mejl", "e-mail", "email"),
    "languages": ("språk", "sprak", "languages", "language"),
    "district": ("område", "omrade", "stadsdel", "district", "area"),
}
REQUIRED_COLUMNS = ("first_name",)

GENDER_VALUES: dict[str, str] = {
    **dict.fromkeys(("kvinna", "k", "kv", "tjej", "flicka", "woman", "female", "f", "w"), Gender.WOMAN),
    **dict.fromkeys(("man", "m", "kille", "pojke", "male"), Gender.MAN),
    **dict.fromkeys(("annan", "annat", "a", "other", "o", "ickebinär", "non-binary"), Gender.OTHER),
    **dict.fromkeys(
        ("", "ej angivet", "vill ej uppge", "okänt", "not stated", "unknown", "-"), Gender.NOT_STATED
    ),
}
GROUP_VALUES: dict[str, str] = {
    **dict.fromkeys(("nyanländ", "nyanland", "ny", "n", "newcomer"), PersonGroup.NEWCOMER),
    **dict.fromkeys(("etablerad", "e", "established", "etablerade"), PersonGroup.ESTABLISHED),
}
MAX_LENGTHS = {"first_name": 80, "last_name": 80, "household": 120, "district": 80, "phone": 30, "email": 254}

# A personal identity number (personnummer / samordningsnummer) must not end up in the register.
_PERSONAL_NUMBER = re.compile(r"^(\d{2})?\d{6}[-+]?\d{4}$")


def _normalise_header(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\ufeff", "").strip().strip('"').lower())


def decode(data: bytes) -> str:
    """Text from the bytes of a CSV file: UTF-8 (with or without BOM), otherwise Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4096]:
        raise ImportFileError(
            _(
                "The file is saved as UTF-16 or is not a text file. In your spreadsheet program, choose "
                "“Save as” and “CSV (semicolon separated)” or “CSV UTF-8”."
            )
        )
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8")
        except UnicodeDecodeError:
            raise ImportFileError(
                _("The file says it is UTF-8 but is not. Save it again as “CSV UTF-8”.")
            ) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise ImportFileError(
            _("The file's character encoding is not recognised. Save it as “CSV UTF-8” and try again.")
        ) from None


def _delimiter(first_line: str) -> str:
    counts = {sep: first_line.count(sep) for sep in (";", ",", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ";"


def _map_headers(headers: list[str]) -> dict[str, int]:
    lookup = {alias: key for key, aliases in HEADER_ALIASES.items() for alias in aliases}
    mapping: dict[str, int] = {}
    for index, header in enumerate(headers):
        key = lookup.get(_normalise_header(header))
        if key is not None and key not in mapping:
            mapping[key] = index
    return mapping


def _parse_birth(value: str) -> tuple[int | None, dt.date | None, str | None]:
    """(birth year, birth date, error message) from a year, an ISO date or a compact date."""
    text = value.strip()
    if not text:
        return None, None, None
    if _PERSONAL_NUMBER.match(text.replace(" ", "")) and len(re.sub(r"\D", "", text)) >= 10:
        return None, None, _("Personal identity numbers are not stored. Write only the birth year or date.")
    text = text.split(" ")[0].split("T")[0]  # spreadsheet dates may carry a time of day
    if re.fullmatch(r"\d{4}", text):
        year = int(text)
        return year, None, _check_year(year)
    date, message = _parse_date(text)
    if date is None:
        return None, None, message
    return date.year, date, _check_year(date.year)


def _parse_date(text: str) -> tuple[dt.date | None, str | None]:
    """(birth date, None) from an ISO, compact or day.month.year date; (None, error message) otherwise."""
    try:
        if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", text):
            date = dt.date.fromisoformat("-".join(part.zfill(2) for part in text.split("-")))
        elif re.fullmatch(r"\d{8}", text):
            date = dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
        elif re.fullmatch(r"\d{1,2}[./]\d{1,2}[./]\d{4}", text):
            day, month, year_text = re.split(r"[./]", text)
            date = dt.date(int(year_text), int(month), int(day))
        else:
            return None, _("Write the birth year (1985) or the birth date (1985-03-14).")
    except ValueError:
        return None, _("There is no such date.")
    if date > timezone.localdate():
        return None, _("The birth date is in the future.")
    return date, None


def _check_year(year: int) -> str | None:
    if not 1900 <= year <= timezone.localdate().year:
        return _("The birth year must be between 1900 and %(year)s.") % {"year": timezone.localdate().year}
    return None


def _parse_languages(value: str) -> tuple[list[str], list[str]]:
    codes, unknown = [], []
    for part in re.split(r"[,/;|+]|\soch\s|\sand\s", value):
        if not part.strip():
            continue
        code = language_lookup(part)
        if code is None:
            unknown.append(part.strip())
        elif code not in codes:
            codes.append(code)
    return codes, unknown


def _check_row(
    number: int, cells: dict[str, str], headers: dict[str, str], default_group: str
) -> tuple[ImportRow, list[RowError]]:
    errors: list[RowError] = []

    def error(key: str, message: str) -> None:
        errors.append(RowError(number, headers.get(key, key), message))

    row = ImportRow(row=number)
    for key, limit in MAX_LENGTHS.items():
        if len(cells.get(key, "")) > limit:
            error(key, _("Too long: at most %(limit)s characters.") % {"limit": limit})
    row.first_name = cells.get("first_name", "")[:80]
    row.last_name = cells.get("last_name", "")[:80]
    row.household = cells.get("household", "")[:120]
    row.district = cells.get("district", "")[:80]
    if not row.first_name:
        error("first_name", _("The first name is missing."))

    year, date, message = _parse_birth(cells.get("birth", ""))
    if message:
        error("birth", message)
    row.birth_year = year
    row.birth_date = date.isoformat() if date else None

    _check_gender_and_group(row, cells, default_group, error)
    _check_contact(row, cells, error)
    codes, unknown = _parse_languages(cells.get("languages", ""))
    row.languages = codes
    if unknown:
        error("languages", _("Unknown language: %(names)s.") % {"names": ", ".join(unknown)})
    return row, errors


def _check_gender_and_group(
    row: ImportRow, cells: dict[str, str], default_group: str, error: Callable[[str, str], None]
) -> None:
    gender = cells.get("gender", "").strip().lower()
    if gender in GENDER_VALUES:
        row.gender = GENDER_VALUES[gender]
    else:
        error(
            "gender",
            _("Unknown gender “%(value)s”: write kvinna, man, annan or leave it empty.") % {"value": gender},
        )

    group = cells.get("group", "").strip().lower()
    if group in GROUP_VALUES:
        row.group = GROUP_VALUES[group]
    elif not group and default_group:
        row.group = default_group
    elif not group:
        error(
            "group", _("The group is missing: write nyanländ or etablerad (or choose a group for all rows).")
        )
    else:
        error("group", _("Unknown group “%(value)s”: write nyanländ or etablerad.") % {"value": group})


def _check_contact(row: ImportRow, cells: dict[str, str], error: Callable[[str, str], None]) -> None:
    phone = cells.get("phone", "")
    if phone:
        row.phone = normalise_phone(phone)
        if len(re.sub(r"\D", "", row.phone)) < 5 or not re.fullmatch(r"\+?\d+", row.phone):
            error("phone", _("“%(value)s” is not a phone number.") % {"value": phone})

    email = cells.get("email", "")
    if email:
        row.email = normalise_email(email)
        try:
            validate_email(row.email)
        except ValidationError:
            error("email", _("“%(value)s” is not an e-mail address.") % {"value": email})


def parse_people_csv(data: bytes, *, default_group: str = "") -> ParsedFile:
    """Read and check every row. Raises ``ImportFileError`` when the file itself cannot be used."""
    text = decode(data)
    if not text.strip():
        raise ImportFileError(_("The file is empty."))
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    reader = csv.reader(
        io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=_delimiter(first_line), strict=True
    )
    try:
        records = list(reader)
    except csv.Error as exc:
        raise ImportFileError(
            _("The file is not a valid CSV file (line %(line)s: %(problem)s).")
            % {"line": reader.line_num, "problem": exc}
        ) from None
    if not records:
        raise ImportFileError(_("The file is empty."))
    header_row = [cell.strip() for cell in records[0]]
    mapping = _map_headers(header_row)
    missing = [key for key in REQUIRED_COLUMNS if key not in mapping]
    if missing:
        raise ImportFileError(
            _(
                "The first row must hold the column names, at least Förnamn (First name). Expected for example: "
                "Förnamn;Efternamn;Födelseår;Kön;Grupp;Hushåll;Telefon;E-post;Språk;Område"
            )
        )
    body = [
        (number, record)
        for number, record in enumerate(records[1:], start=2)
        if any(c.strip() for c in record)
    ]
    if not body:
        raise ImportFileError(_("The file has column names but no people."))
    if len(body) > MAX_ROWS:
        raise ImportFileError(
            _("The file has %(count)s rows; at most %(max)s can be imported at once. Split the file.")
            % {"count": len(body), "max": MAX_ROWS}
        )
    headers = {key: header_row[index] for key, index in mapping.items()}
    rows: list[ImportRow] = []
    errors: list[RowError] = []
    for number, record in body:
        if len(record) > len(header_row) and any(cell.strip() for cell in record[len(header_row) :]):
            errors.append(
                RowError(
                    number,
                    "",
                    _("The row has %(found)s columns but the header has %(expected)s.")
                    % {"found": len(record), "expected": len(header_row)},
                )
            )
        cells = {key: record[index].strip() if index < len(record) else "" for key, index in mapping.items()}
        row, row_errors = _check_row(number, cells, headers, default_group)
        rows.append(row)
        errors.extend(row_errors)
    return ParsedFile(rows=rows, errors=errors, headers=header_row)


@dataclass(frozen=True)
class FileDuplicate:
    row: int
    other_row: int
    reason: str


def duplicates_in_file(rows: list[ImportRow]) -> list[FileDuplicate]:
    """Rows that look like the same person as an earlier row of the file.

    Family members often share a phone number or e-mail address, so those count only between different
    households; the same name and birth year always counts.
    """
    found: list[FileDuplicate] = []
    seen_names: dict[str, int] = {}
    seen_phones: dict[str, tuple[int, str]] = {}
    seen_emails: dict[str, tuple[int, str]] = {}
    for row in rows:
        if row.birth_year is not None:
            key = f"{row.first_name.lower()}|{row.last_name.lower()}|{row.birth_year}"
            if key in seen_names:
                found.append(FileDuplicate(row.row, seen_names[key], _("same name and birth year")))
            seen_names.setdefault(key, row.row)
        for value, seen, reason in (
            (row.phone, seen_phones, _("same phone number")),
            (row.email, seen_emails, _("same e-mail address")),
        ):
            if not value:
                continue
            if value in seen:
                other_row, household = seen[value]
                if not row.household or household != row.household:
                    found.append(FileDuplicate(row.row, other_row, reason))
            else:
                seen[value] = (row.row, row.household)
    return found
