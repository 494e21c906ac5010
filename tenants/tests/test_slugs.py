"""Addresses: folded from names, refused with a clear reason, and usable as schema names and hosts."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http.request import split_domain_port, validate_host
from django_tenants.postgresql_backend.base import _check_schema_name

from tenants.municipalities import all_municipalities
from tenants.slugs import RESERVED_SLUGS, slug_fold, slug_validate


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Gnosjö", "gnosjo"),
        ("Upplands Väsby", "upplands-vasby"),
        ("Malung-Sälen", "malung-salen"),
        ("Östra Göinge", "ostra-goinge"),
        ("Håbo", "habo"),
        ("  Åre  ", "are"),
    ],
)
def test_names_fold_to_addresses(name: str, slug: str) -> None:
    assert slug_fold(name) == slug
    slug_validate(slug)


def test_every_municipality_name_folds_to_a_valid_address() -> None:
    for municipality in all_municipalities():
        slug = slug_fold(municipality.name)
        if slug not in RESERVED_SLUGS:
            slug_validate(slug)


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("public", "reserverad"),
        ("www", "reserverad"),
        ("admin", "reserverad"),
        ("api", "reserverad"),
        ("iv", "reserverad"),
        ("static", "reserverad"),
        ("media", "reserverad"),
        ("mail", "reserverad"),
        ("pg_catalog", "pg_"),
        ("pg_gnosjo", "pg_"),
        ("ab", "3 till 40 tecken"),
        ("a" * 41, "3 till 40 tecken"),
        ("gnosjö", "a–z"),
        ("Gnosjo", "a–z"),
        ("gnosjo_kommun", "a–z"),
        ("-gnosjo", "a–z"),
        ("gnosjo-", "a–z"),
        ("gnosjo--kommun", "a–z"),
        ("gnosjo.se", "a–z"),
        ("gnosjo kommun", "a–z"),
    ],
)
def test_bad_addresses_are_refused_with_a_reason(slug: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        slug_validate(slug)
    assert message in caught.value.messages[0]


def test_the_limits_are_inclusive() -> None:
    slug_validate("abc")
    slug_validate("a" * 40)


@pytest.mark.parametrize("slug", ["malung-salen", "upplands-vasby", "a-b-c", "x1-2y"])
def test_a_hyphenated_address_is_a_valid_schema_name_and_host(slug: str) -> None:
    slug_validate(slug)
    _check_schema_name(slug)  # django-tenants' own rule; raises when invalid
    host, port = split_domain_port(f"{slug}.localhost:8000")
    assert host == f"{slug}.localhost"
    assert port == "8000"
    assert validate_host(host, [".localhost"])
