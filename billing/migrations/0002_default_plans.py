"""The price tiers offered at launch, by population, in SEK including 25 % VAT (a year costs ten months).

Stripe price ids are not set here: they are configuration (Django admin or STRIPE_PRICE_IDS).
"""

from django.db import migrations

PLANS = [
    # code, name, population from, population up to, monthly SEK incl. VAT
    ("small", "Liten", 1, 15000, 495),
    ("medium", "Mellan", 15001, 40000, 995),
    ("large", "Stor", 40001, 100000, 1995),
    ("xlarge", "Storstad", 100001, None, 3495),
]


def create_plans(apps, schema_editor):
    Plan = apps.get_model("billing", "Plan")
    for code, name, low, high, monthly in PLANS:
        Plan.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "min_population": low,
                "max_population": high,
                "monthly_price_sek": monthly,
                "yearly_price_sek": monthly * 10,
            },
        )


def remove_plans(apps, schema_editor):
    Plan = apps.get_model("billing", "Plan")
    Plan.objects.filter(code__in=[code for code, *_ in PLANS], accounts__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_initial")]

    operations = [migrations.RunPython(create_plans, remove_plans)]
