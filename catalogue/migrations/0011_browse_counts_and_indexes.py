"""Counts kept on archives, series, keywords and JEL codes, anchors for deep pages of long lists
(catalogue.listcounts), and the indexes the browse pages read a page of ids from. Fill the
counts and anchors with `manage.py refresh_counts`.
"""

import django.db.models.functions.comparison
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('catalogue', '0010_jel_names'),
    ]

    operations = [
        migrations.CreateModel(
            name='ListAnchor',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('list_key', models.CharField(help_text='series:<id>, keyword:<id> or jel:<code>', max_length=40)),
                ('position', models.PositiveIntegerField(help_text='0-based index in ascending order')),
                ('year', models.IntegerField(default=0, help_text="Series lists: the item's year, 0 when it has none")),
                ('number', models.CharField(blank=True, help_text="Series lists: the item's number", max_length=100)),
                ('item_id', models.BigIntegerField()),
            ],
            options={
                'ordering': ['list_key', 'position'],
            },
        ),
        migrations.RemoveIndex(
            model_name='item',
            name='item_series_year_number',
        ),
        migrations.AddField(
            model_name='archive',
            name='item_count',
            field=models.PositiveIntegerField(default=0, editable=False, help_text='Kept by catalogue.listcounts'),
        ),
        migrations.AddField(
            model_name='archive',
            name='series_count',
            field=models.PositiveIntegerField(default=0, editable=False, help_text='Kept by catalogue.listcounts'),
        ),
        migrations.AddField(
            model_name='jelcode',
            name='item_count',
            field=models.PositiveIntegerField(default=0, editable=False, help_text='Items classified under this code or its sub-codes (catalogue.listcounts)'),
        ),
        migrations.AddField(
            model_name='keyword',
            name='item_count',
            field=models.PositiveIntegerField(default=0, editable=False, help_text='Kept by catalogue.listcounts'),
        ),
        migrations.AddField(
            model_name='series',
            name='item_count',
            field=models.PositiveIntegerField(default=0, editable=False, help_text='Kept by catalogue.listcounts'),
        ),
        migrations.AddIndex(
            model_name='item',
            index=models.Index(models.F('series'), django.db.models.functions.comparison.Coalesce('year', 0), models.F('number'), models.F('id'), name='item_series_listing'),
        ),
        migrations.AddIndex(
            model_name='itemkeyword',
            index=models.Index(fields=['keyword', 'item'], name='itemkeyword_keyword_item'),
        ),
        migrations.AddIndex(
            model_name='nepissue',
            index=models.Index(fields=['date'], name='nepissue_date'),
        ),
        migrations.AddConstraint(
            model_name='listanchor',
            constraint=models.UniqueConstraint(fields=('list_key', 'position'), name='listanchor_unique_position'),
        ),
        # JEL page: a page of a code's item ids, newest first, by an index-only scan (the
        # through table of Item.jel_codes has no Meta, so the index is created here)
        migrations.RunSQL(
            "CREATE INDEX item_jel_codes_code_item ON catalogue_item_jel_codes (jelcode_id, item_id)",
            "DROP INDEX item_jel_codes_code_item",
        ),
    ]
