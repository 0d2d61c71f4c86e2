# The admin's item list filtered by type, in handle order.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('catalogue', '0022_stat_rollups'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='item',
            index=models.Index(fields=['kind', 'handle_key'], name='item_kind_handle'),
        ),
    ]
