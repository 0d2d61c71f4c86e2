# Since when a reference counts as a citation: the matcher's or the person's last decision, for those that count.

from django.db import migrations, models
from django.db.models.functions import Coalesce


def fill(apps, schema_editor):
    Reference = apps.get_model("catalogue", "Reference")
    Reference.objects.filter(status__in=["matched", "confirmed"], target__isnull=False).update(
        linked_at=Coalesce("decided_at", "matched_at")
    )


class Migration(migrations.Migration):

    dependencies = [
        ('catalogue', '0018_citation_totals'),
    ]

    operations = [
        migrations.AddField(
            model_name='reference',
            name='linked_at',
            field=models.DateTimeField(blank=True, help_text="Since when it counts as a citation of its target (the citation feeds' date)", null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
