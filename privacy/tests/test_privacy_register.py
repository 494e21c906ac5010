"""The register of personal data behind the privacy notice: every field of every tenant model is in it,
either in a category of the notice or marked not personal, and it names only fields that exist."""

from __future__ import annotations

import dataclasses

from django.apps import apps
from django.conf import settings

from privacy.register import (
    CATEGORIES,
    NOT_PERSONAL,
    Category,
    not_personal_fields,
    personal_fields,
)


def tenant_model_fields() -> set[str]:
    """``app_label.Model.field`` for every concrete and many-to-many field of every model of TENANT_APPS
    (the auto-created join tables are covered by their many-to-many field)."""
    names = set()
    for app_name in settings.TENANT_APPS:
        config = next(config for config in apps.get_app_configs() if config.name == app_name)
        for model in config.get_models():
            for field in [*model._meta.concrete_fields, *model._meta.local_many_to_many]:
                names.add(f"{model._meta.label}.{field.name}")
    return names


def unclassified(categories: tuple[Category, ...] = CATEGORIES) -> list[str]:
    return sorted(tenant_model_fields() - personal_fields(categories) - not_personal_fields())


def test_every_field_of_every_tenant_model_is_classified() -> None:
    missing = unclassified()
    assert missing == [], (
        "These fields are in neither a category of core/privacy_register.py (personal data, shown on the "
        f"privacy notice) nor in its NOT_PERSONAL: {missing}"
    )


def test_a_personal_field_left_out_of_the_register_is_caught() -> None:
    # The check above can fail: drop the phone number from its category and it is reported.
    contact = next(category for category in CATEGORIES if category.key == "contact")
    groups = tuple(
        dataclasses.replace(group, fields=tuple(f for f in group.fields if f != "people.Person.phone"))
        for group in contact.groups
    )
    categories = tuple(
        dataclasses.replace(category, groups=groups) if category is contact else category
        for category in CATEGORIES
    )
    assert unclassified(categories) == ["people.Person.phone"]


def test_the_register_names_only_fields_that_exist() -> None:
    existing = tenant_model_fields()
    assert sorted(personal_fields() - existing) == []
    assert sorted(not_personal_fields() - existing) == []


def test_no_field_is_both_personal_and_not_personal() -> None:
    assert sorted(personal_fields() & not_personal_fields()) == []


def test_no_field_is_in_two_categories() -> None:
    seen: dict[str, str] = {}
    doubles = []
    for category in CATEGORIES:
        for field in category.fields:
            if field in seen:
                doubles.append((field, seen[field], category.key))
            seen[field] = category.key
    assert doubles == []


def test_every_model_of_the_register_is_a_tenant_model() -> None:
    tenant_models = {name.rsplit(".", 1)[0] for name in tenant_model_fields()}
    assert set(NOT_PERSONAL) <= tenant_models
    assert {field.rsplit(".", 1)[0] for field in personal_fields()} <= tenant_models


def test_categories_are_complete_and_their_keys_unique() -> None:
    keys = [category.key for category in CATEGORIES]
    assert len(keys) == len(set(keys))
    for category in CATEGORIES:
        assert category.groups, category.key
        assert category.recipients, category.key
        assert category.purpose, category.key
