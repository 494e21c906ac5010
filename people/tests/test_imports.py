"""Reading CSV files as Swedish spreadsheet programs save them; errors per row; duplicates in the file."""

from __future__ import annotations

import pytest
from django.utils import translation

from people.importer import ImportFileError, decode, duplicates_in_file, parse_people_csv

SWEDISH_HEADER = "Förnamn;Efternamn;Födelseår;Kön;Grupp;Hushåll;Telefon;E-post;Språk;Område"
SWEDISH_ROWS = [
    "Amal;Haddad;1984;kvinna;nyanländ;Haddad;070-123 45 67;Amal@Example.se;arabiska, engelska;Centrum",
    "Yousef;Haddad;2014-05-02;man;nyanländ;Haddad;;;arabiska;Centrum",
    "Åsa;Öberg;1962;K;etablerad;;0370-12345;;svenska;Bredaryd",
]


def swedish_excel_file(rows: list[str] = SWEDISH_ROWS) -> bytes:
    """What Excel with Swedish settings writes for "CSV (semikolonavgränsad)": Windows-1252, CRLF."""
    return ("\r\n".join([SWEDISH_HEADER, *rows]) + "\r\n").encode("cp1252")


@pytest.fixture(autouse=True)
def english() -> None:
    translation.activate("en")


def test_semicolon_windows_1252_with_swedish_headers() -> None:
    parsed = parse_people_csv(swedish_excel_file())
    assert parsed.errors == []
    amal, yousef, asa = parsed.rows
    assert (amal.first_name, amal.birth_year, amal.gender, amal.group) == ("Amal", 1984, "woman", "newcomer")
    assert amal.phone == "+46701234567"
    assert amal.email == "amal@example.se"
    assert amal.languages == ["ar", "en"]
    assert amal.household == "Haddad"
    assert amal.district == "Centrum"
    assert (yousef.birth_year, yousef.birth_date) == (2014, "2014-05-02")
    assert (asa.first_name, asa.last_name, asa.group, asa.row) == ("Åsa", "Öberg", "established", 4)


def test_utf8_with_bom_from_excel_csv_utf8() -> None:
    data = b"\xef\xbb\xbf" + "\r\n".join([SWEDISH_HEADER, *SWEDISH_ROWS]).encode("utf-8")
    parsed = parse_people_csv(data)
    assert parsed.errors == []
    assert parsed.rows[2].last_name == "Öberg"


def test_comma_separated_utf8_with_english_headers_and_quotes() -> None:
    data = (
        b"First name,Last name,Birth year,Gender,Group,Household,Phone,E-mail,Languages,District\n"
        b'Lina,Berg,1990,woman,established,,"+46 70 111 22 33",lina@example.se,"Swedish, English",Norr\n'
    )
    parsed = parse_people_csv(data)
    assert parsed.errors == []
    assert parsed.rows[0].languages == ["sv", "en"]
    assert parsed.rows[0].phone == "+46701112233"


def test_each_bad_cell_is_reported_with_row_and_column() -> None:
    rows = [
        "Amal;Haddad;19x4;kvinna;nyanländ;;070-123 45 67;not-an-email;arabiska;",
        ";Lund;1962;okänd-kod;etablerad;;12;;klingon;",
        "Omar;Abdi;850314-1234;man;ny;;;;;",
        "Sara;Nilsson;2099;kvinna;flykting;;;;;",
    ]
    parsed = parse_people_csv(swedish_excel_file(rows))
    found = {(error.row, error.column) for error in parsed.errors}
    assert found == {
        (2, "Födelseår"),
        (2, "E-post"),
        (3, "Förnamn"),
        (3, "Kön"),
        (3, "Telefon"),
        (3, "Språk"),
        (4, "Födelseår"),
        (5, "Födelseår"),
        (5, "Grupp"),
    }
    personal_number = next(e for e in parsed.errors if e.row == 4)
    assert "Personal identity numbers are not stored" in personal_number.message


def test_errors_are_written_in_swedish_for_a_swedish_user() -> None:
    with translation.override("sv"):
        parsed = parse_people_csv(swedish_excel_file([";Lund;1962;;etablerad;;;;;"]))
    assert parsed.errors[0].message == "Förnamnet saknas."


def test_a_default_group_fills_rows_without_one() -> None:
    parsed = parse_people_csv(swedish_excel_file(["Amal;Haddad;1984;;;;;;;"]), default_group="newcomer")
    assert parsed.errors == []
    assert parsed.rows[0].group == "newcomer"
    missing = parse_people_csv(swedish_excel_file(["Amal;Haddad;1984;;;;;;;"]))
    assert [e.column for e in missing.errors] == ["Grupp"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"Name;Age\r\nAmal;40\r\n", "The first row must hold the column names"),
        (SWEDISH_HEADER.encode("cp1252") + b"\r\n", "no people"),
        ('Förnamn;Efternamn\r\n"Amal;Haddad\r\nOmar;Abdi\r\n'.encode(), "not a valid CSV file"),
        ('Förnamn;Efternamn\r\n"Amal"x;Haddad\r\n'.encode(), "not a valid CSV file"),
        ("Förnamn;Efternamn\r\nAmal;Haddad\r\n".encode("utf-16"), "UTF-16"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a text file"),
    ],
)
def test_unusable_files_are_refused_with_a_reason(data: bytes, message: str) -> None:
    with pytest.raises(ImportFileError) as refused:
        parse_people_csv(data)
    assert message in refused.value.message


def test_bom_claiming_utf8_with_invalid_bytes_is_refused() -> None:
    with pytest.raises(ImportFileError):
        decode(b"\xef\xbb\xbfF\xf6rnamn")


def test_too_many_columns_in_a_row_is_an_error_for_that_row() -> None:
    parsed = parse_people_csv(swedish_excel_file(["Amal;Haddad;1984;;nyanländ;;;;;;extra"]))
    assert [(e.row, e.column) for e in parsed.errors] == [(2, "")]


def test_duplicates_inside_the_file() -> None:
    rows = [
        "Amal;Haddad;1984;;nyanländ;Haddad;070-123 45 67;;;",
        "Samir;Haddad;1980;;nyanländ;Haddad;070-123 45 67;;;",  # same family, same phone: not a duplicate
        "Amal;Haddad;1984;;nyanländ;;;;;",  # same name and year
        "Karin;Lund;1962;;etablerad;;+46701234567;;;",  # another household with Amal's number
    ]
    duplicates = duplicates_in_file(parse_people_csv(swedish_excel_file(rows)).rows)
    assert [(d.row, d.other_row, d.reason) for d in duplicates] == [
        (4, 2, "same name and birth year"),
        (5, 2, "same phone number"),
    ]
