"""The bodies of the partners' writes: a partner and its contact rows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rest_framework import serializers

from api.resources.inputs.fields import Text, choice, email, merged, required_text
from api.resources.serializers import id_field
from partners.choices import PartnerKind
from partners.services import ContactInput, PartnerInput

if TYPE_CHECKING:
    from partners.models import Partner


class ContactWriteSerializer(serializers.Serializer[Any]):
    """A contact person: without id a new one; with id that contact changed, or removed with delete."""

    id = id_field(required=False, allow_null=True)
    name = Text(max_length=160)
    title = Text(max_length=120)
    phone = Text(max_length=30)
    email = email()
    delete = serializers.BooleanField(required=False, default=False)


PARTNER_FIELDS = ("name", "kind", "description", "website", "phone", "email", "is_active")


class PartnerWriteSerializer(serializers.Serializer[Any]):
    name = required_text(160)
    kind = choice(PartnerKind.choices, required=True)
    description = Text(max_length=5000)
    # Plain text in the contract: the partner rules check the address (a 409 says what is wrong).
    website = Text(max_length=200, help_text="https://… or empty.")
    phone = Text(max_length=30)
    email = email()
    is_active = serializers.BooleanField(required=False)
    contacts = serializers.ListField(
        child=ContactWriteSerializer(),
        required=False,
        max_length=30,
        help_text="Contact rows to add, change or remove; contacts not named stay as they are.",
    )

    def partner_input(self, current: Partner | None = None) -> PartnerInput:
        data = {key: value for key, value in self.validated_data.items() if key in PARTNER_FIELDS}
        if current is not None:
            data = merged(data, {name: getattr(current, name) for name in PARTNER_FIELDS})
        return PartnerInput(**data)

    def contact_inputs(self) -> list[ContactInput]:
        return [
            ContactInput(
                id=row.get("id"),
                name=row.get("name", ""),
                title=row.get("title", ""),
                phone=row.get("phone", ""),
                email=row.get("email", ""),
                delete=row.get("delete", False),
            )
            for row in self.validated_data.get("contacts", [])
        ]
