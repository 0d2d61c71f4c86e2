# The admin's list of withdrawn items.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('catalogue', '0023_item_kind_handle'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='item',
            index=models.Index(condition=models.Q(('withdrawn_at__isnull', False)), fields=['handle_key'], name='item_withdrawn_handle'),
        ),
    ]
