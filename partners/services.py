"""Writes of partners and their contact people."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core.contact import normalise_email, normalise_phone
from core.errors import DomainError, full_clean_or_raise
from partners.models import Partner, PartnerContact


class PartnerError(DomainError):
    """A partner could not be saved; the message is fit to show. ``index`` names the contact row."""


@dataclass(frozen=True)
class PartnerInput:
    name: str
    kind: str
    description: str = ""
    website: str = ""
    phone: str = ""
    email: str = ""
    is_active: bool = True


@dataclass(frozen=True)
class ContactInput:
    """A contact row: ``id`` for an existing contact (``delete`` removes it), None for a new one."""

    name: str
    title: str = ""
    phone: str = ""
    email: str = ""
    id: int | None = None
    delete: bool = False


def _full_clean(instance: Partner | PartnerContact, *, index: int | None = None) -> None:
    full_clean_or_raise(
        instance,
        error=PartnerError,
        exclude=["partner"] if isinstance(instance, PartnerContact) else None,
        index=index,
    )


def partner_input_normalise(data: PartnerInput) -> PartnerInput:
    """``data`` in the canonical form it is saved in (PartnerForm validates the same values)."""
    return replace(
        data,
        name=data.name.strip(),
        website=data.website.strip(),
        phone=normalise_phone(data.phone),
        email=normalise_email(data.email),
    )


def _apply(partner: Partner, data: PartnerInput) -> None:
    data = partner_input_normalise(data)
    partner.name = data.name
    partner.kind = data.kind
    partner.description = data.description
    partner.website = data.website
    partner.phone = data.phone
    partner.email = data.email
    partner.is_active = data.is_active


def _save_contacts(partner: Partner, contacts: Sequence[ContactInput]) -> None:
    existing = {contact.pk: contact for contact in partner.contacts.all()}
    for index, row in enumerate(contacts):
        if row.id is not None and row.id not in existing:
            raise PartnerError(_("That contact person does not belong to this partner."), index=index)
        if row.delete:
            if row.id is not None:
                existing[row.id].delete()
            continue
        contact = existing[row.id] if row.id is not None else PartnerContact(partner=partner)
        contact.name = row.name.strip()
        contact.title = row.title.strip()
        contact.phone = normalise_phone(row.phone)
        contact.email = normalise_email(row.email)
        _full_clean(contact, index=index)
        contact.save()


@transaction.atomic
def partner_create(*, actor: User, data: PartnerInput, contacts: Sequence[ContactInput] = ()) -> Partner:
    partner = Partner()
    _apply(partner, data)
    _full_clean(partner)
    partner.save()
    _save_contacts(partner, contacts)
    return partner


@transaction.atomic
def partner_update(
    *, actor: User, partner: Partner, data: PartnerInput, contacts: Sequence[ContactInput] = ()
) -> Partner:
    _apply(partner, data)
    _full_clean(partner)
    partner.save()
    _save_contacts(partner, contacts)
    return partner
