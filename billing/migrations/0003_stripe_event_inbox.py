# The processed-event table becomes the webhook's inbox: each verified event is stored with its payload
# before Stripe gets its answer, and processed (and retried) from there.

from django.db import migrations, models


def processed_when_received(apps, schema_editor):
    # Every row so far was written in the same transaction as its effect: processed, at that moment.
    StripeEvent = apps.get_model("billing", "StripeEvent")
    StripeEvent.objects.filter(processed_at=None).update(processed_at=models.F("received_at"))


class Migration(migrations.Migration):

    dependencies = [
        ("billing", "0002_default_plans"),
    ]

    operations = [
        migrations.RenameModel(old_name="ProcessedStripeEvent", new_name="StripeEvent"),
        migrations.RenameField(model_name="stripeevent", old_name="processed_at", new_name="received_at"),
        migrations.AlterField(
            model_name="stripeevent",
            name="received_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="received"),
        ),
        # The rows there are were processed; new ones start pending.
        migrations.AddField(
            model_name="stripeevent",
            name="status",
            field=models.CharField(
                choices=[("pending", "Waiting to be processed"), ("processed", "Processed"), ("failed", "Failed")],
                default="processed",
                max_length=20,
                verbose_name="status",
            ),
        ),
        migrations.AlterField(
            model_name="stripeevent",
            name="status",
            field=models.CharField(
                choices=[("pending", "Waiting to be processed"), ("processed", "Processed"), ("failed", "Failed")],
                default="pending",
                max_length=20,
                verbose_name="status",
            ),
        ),
        migrations.AddField(
            model_name="stripeevent",
            name="payload",
            field=models.TextField(blank=True, verbose_name="payload"),
        ),
        migrations.AddField(
            model_name="stripeevent",
            name="attempts",
            field=models.PositiveIntegerField(default=0, verbose_name="attempts"),
        ),
        migrations.AddField(
            model_name="stripeevent",
            name="next_attempt_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="next attempt"),
        ),
        migrations.AddField(
            model_name="stripeevent",
            name="last_error",
            field=models.TextField(blank=True, verbose_name="last error"),
        ),
        migrations.AddField(
            model_name="stripeevent",
            name="processed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="processed"),
        ),
        migrations.RunPython(processed_when_received, migrations.RunPython.noop),
        migrations.AlterModelOptions(
            name="stripeevent",
            options={
                "ordering": ["-received_at", "-id"],
                "verbose_name": "Stripe event",
                "verbose_name_plural": "Stripe events",
            },
        ),
        migrations.AddIndex(
            model_name="stripeevent",
            index=models.Index(
                condition=models.Q(("status", "pending")),
                fields=["next_attempt_at"],
                name="billing_stripeevent_due",
            ),
        ),
    ]
