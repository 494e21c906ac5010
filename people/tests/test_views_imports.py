"""CSV import through the pages: preview kept on the server, all-or-nothing commit, bad files write nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.test import Client

from accounts.roles import Role
from conftest import login
from people.models import Household, Person, PersonImport
from people.tests.test_imports import swedish_excel_file
from tenants.connection import tenant_connection
from tenants.models import Municipality
from tests.support.people_factories import PersonFactory
from tests.support.queries import real_queries

pytestmark = pytest.mark.django_db

ROWS = [
    "Amal;Importsson;1984;kvinna;nyanländ;Importsson;070-123 45 67;amal@example.se;arabiska;Centrum",
    "Samir;Importsson;1980;man;nyanländ;Importsson;;;arabiska;Centrum",
    "Yousef;Importsson;2014;man;nyanländ;Importsson;;;arabiska, svenska;Centrum",
    "Karin;Importlund;1962;kvinna;etablerad;;0370-12345;;svenska;Bredaryd",
]


def upload(client: Client, data: bytes, name: str = "people.csv", **extra: str) -> Any:
    return client.post("/staff/import/", {"file": SimpleUploadedFile(name, data, "text/csv"), **extra})


def imported(tenant: Municipality) -> tuple[int, int]:
    tenant_connection().set_tenant(tenant)
    return (
        Person.objects.filter(last_name__startswith="Import").count(),
        Household.objects.filter(name__startswith="Import").count(),
    )


def test_upload_preview_and_commit(in_varnamo: Municipality) -> None:
    client = login("varnamo", Role.COORDINATOR)
    response = upload(client, swedish_excel_file(ROWS))
    assert response.status_code == 302
    preview = client.get(response["Location"])
    html = preview.content.decode()
    assert "Amal Importsson" in html
    assert "Karin Importlund" in html
    assert imported(in_varnamo) == (0, 0)  # nothing is written before the commit
    done = client.post(response["Location"])
    assert done.status_code == 302
    assert done["Location"] == "/staff/people/"
    assert imported(in_varnamo) == (4, 1)
    amal = Person.objects.get(first_name="Amal", last_name="Importsson")
    assert (amal.phone, amal.languages, amal.household.name) == ("+46701234567", ["ar"], "Importsson")  # type: ignore[union-attr]
    assert not PersonImport.objects.exists()
    # Committing again (a double click) imports nothing twice.
    assert client.post(response["Location"]).status_code == 404
    assert imported(in_varnamo) == (4, 1)


def test_row_errors_are_listed_and_nothing_is_kept(in_varnamo: Municipality) -> None:
    rows = [*ROWS, "Bad;Importsson;19x4;kvinna;nyanländ;;;not-an-email;;"]
    response = upload(login("varnamo", Role.COORDINATOR), swedish_excel_file(rows))
    assert response.status_code == 400
    errors = {(e.row, e.column) for e in response.context["errors"]}
    assert errors == {(6, "Födelseår"), (6, "E-post")}
    assert "Ingenting importerades" in response.content.decode()
    assert imported(in_varnamo) == (0, 0)
    assert not PersonImport.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ('Förnamn;Efternamn\r\n"Amal;Importsson\r\n'.encode(), "inte en giltig CSV-fil"),
        ("Förnamn;Efternamn\r\nAmal;Importsson\r\n".encode("utf-16"), "UTF-16"),
        (b"Name;Age\r\nAmal;40\r\n", "Förnamn"),
    ],
)
def test_malformed_files_are_refused_in_swedish(in_varnamo: Municipality, data: bytes, message: str) -> None:
    response = upload(login("varnamo", Role.COORDINATOR), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert imported(in_varnamo) == (0, 0)


def test_a_50_mb_upload_is_refused_before_it_is_stored(
    in_varnamo: Municipality, monkeypatch: pytest.MonkeyPatch
) -> None:
    stored: list[int] = []
    original = TemporaryFileUploadHandler.receive_data_chunk

    def spy(self: TemporaryFileUploadHandler, raw_data: bytes, start: int) -> bytes | None:
        stored.append(len(raw_data))
        return original(self, raw_data, start)

    monkeypatch.setattr(TemporaryFileUploadHandler, "receive_data_chunk", spy)
    big = swedish_excel_file(ROWS) + b"Padding;Importsson;1984;;nyanl\xe4nd;;;;;\r\n" * (
        50 * 1024 * 1024 // 38
    )
    assert len(big) > 50 * 1024 * 1024
    response = upload(login("varnamo", Role.COORDINATOR), big)
    assert response.status_code == 413
    assert "Filen är för stor" in response.content.decode()
    assert stored == []  # not a byte reached memory or a temporary file
    assert imported(in_varnamo) == (0, 0)


def test_a_file_just_over_the_limit_is_refused_while_streaming(
    in_varnamo: Municipality, settings: Any
) -> None:
    settings.UPLOAD_MAX_BYTES = 1000
    response = upload(login("varnamo", Role.COORDINATOR), swedish_excel_file(ROWS * 10))
    assert response.status_code == 413
    assert imported(in_varnamo) == (0, 0)


def test_duplicates_in_the_file_and_register_need_confirmation(in_varnamo: Municipality) -> None:
    existing = PersonFactory.create(first_name="Karin", last_name="Importlund", birth_year=1962)
    client = login("varnamo", Role.COORDINATOR)
    location = upload(client, swedish_excel_file([*ROWS, ROWS[0].replace("Centrum", "Norr")]))["Location"]
    html = client.get(location).content.decode()
    assert f'href="/staff/people/{existing.pk}/"' in html
    assert "Rad 6 liknar rad 2" in html
    client.post(location)  # without confirming
    assert imported(in_varnamo) == (1, 0)  # only the one that already existed
    client.post(location, {"confirm_duplicates": "1"})
    assert imported(in_varnamo) == (6, 1)


def test_the_commit_is_all_or_nothing(in_varnamo: Municipality) -> None:
    client = login("varnamo", Role.COORDINATOR)
    location = upload(client, swedish_excel_file(ROWS))["Location"]
    # Something changed the kept rows between preview and commit (the rows are re-checked at commit).
    tenant_connection().set_tenant(in_varnamo)
    batch = PersonImport.objects.get()
    batch.rows[3]["group"] = "pirates"
    batch.save()
    response = client.post(location, follow=True)
    assert "Rad 5" in response.content.decode()
    assert imported(in_varnamo) == (0, 0)


def test_an_import_belongs_to_its_uploader(in_varnamo: Municipality) -> None:
    location = upload(login("varnamo", Role.COORDINATOR), swedish_excel_file(ROWS))["Location"]
    admin = login("varnamo", Role.ADMIN)
    assert admin.get(location).status_code == 404
    assert admin.post(location).status_code == 404
    assert login("vaggeryd", Role.COORDINATOR).get(location).status_code == 404
    assert login("varnamo", Role.VOLUNTEER).get(location).status_code == 403
    assert imported(in_varnamo) == (0, 0)


def test_cancelling_forgets_the_file(in_varnamo: Municipality) -> None:
    client = login("varnamo", Role.COORDINATOR)
    location = upload(client, swedish_excel_file(ROWS))["Location"]
    assert client.post(f"{location}cancel/").status_code == 302
    tenant_connection().set_tenant(in_varnamo)
    assert not PersonImport.objects.exists()


def test_a_missing_file_is_a_form_error(in_varnamo: Municipality) -> None:
    response = login("varnamo", Role.COORDINATOR).post("/staff/import/", {})
    assert response.status_code == 400
    assert response.context["form"].errors["file"]


@pytest.mark.parametrize("count", [3, 30])
def test_the_preview_runs_a_fixed_number_of_queries(
    in_varnamo: Municipality, count: int, django_assert_num_queries: Any
) -> None:
    rows = [
        f"Person{i};Importsson;{1950 + i};;nyanländ;Family{i % 4};070-{i:07d};;svenska;" for i in range(count)
    ]
    client = login("varnamo", Role.COORDINATOR)
    location = upload(client, swedish_excel_file(rows))["Location"]
    # Domain, session, user, the pending import, duplicates in the register (each after SET search_path).
    with real_queries(5):
        response = client.get(location)
    assert len(response.context["preview"].rows) == count
