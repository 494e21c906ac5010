"""factory_boy factories for partner organisations and their contact people. Use them inside a tenant's
schema (the ``in_varnamo`` fixture)."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from partners.choices import PartnerKind
from partners.models import Partner, PartnerContact


class PartnerFactory(DjangoModelFactory[Partner]):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"IFK Test {n}")
    kind = PartnerKind.CLUB


class PartnerContactFactory(DjangoModelFactory[PartnerContact]):
    class Meta:
        model = PartnerContact

    partner = factory.SubFactory(PartnerFactory)
    name = factory.Sequence(lambda n: f"Kontakt {n}")
