# The search index: the narrow SearchEntry table, then the text storage each backend has.

import django.db.models.deletion
from django.db import migrations, models

POSTGRES = [
    # unaccent is a trusted extension: the database owner may create it
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE TEXT SEARCH CONFIGURATION catalogue_english (COPY = pg_catalog.english)",
    "ALTER TEXT SEARCH CONFIGURATION catalogue_english"
    " ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem",
    # JEL codes with their prefixes ({O, O3, O31}), so that jel=O3 is one GIN lookup
    "ALTER TABLE catalogue_searchentry ADD COLUMN head tsvector NOT NULL DEFAULT '',"
    " ADD COLUMN document tsvector NOT NULL DEFAULT '', ADD COLUMN jel text[] NOT NULL DEFAULT '{}'",
    # Keep the heap narrow: the document vector (the abstract's words, the bulk) lives out of
    # line, so that counting and sorting matches reads few pages; the small head vector stays in
    # the row, so that phrase rechecks and relevance candidates do not fetch it from TOAST.
    "ALTER TABLE catalogue_searchentry ALTER COLUMN document SET STORAGE EXTERNAL,"
    " ALTER COLUMN head SET STORAGE MAIN, SET (toast_tuple_target = 256)",
    "CREATE INDEX search_jel ON catalogue_searchentry USING gin (jel)",
    # matches in title, authors and keywords: the first tier of relevance candidates
    "CREATE INDEX search_head ON catalogue_searchentry USING gin (head)",
    # matches anywhere
    "CREATE INDEX search_document ON catalogue_searchentry USING gin (document)",
    # the 5% sample that estimates the facets of very large result sets
    "CREATE INDEX search_document_sample ON catalogue_searchentry USING gin (document) WHERE sample < 5",
]
POSTGRES_REVERSE = [
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS catalogue_english",
]
SQLITE = [
    "CREATE VIRTUAL TABLE catalogue_searchtext USING fts5("
    "title, people, keywords, abstract, tokenize = 'porter unicode61 remove_diacritics 2')",
]
SQLITE_REVERSE = ["DROP TABLE IF EXISTS catalogue_searchtext"]


def create_text_storage(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in POSTGRES if vendor == "postgresql" else SQLITE if vendor == "sqlite" else []:
        schema_editor.execute(sql)


def drop_text_storage(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in POSTGRES_REVERSE if vendor == "postgresql" else SQLITE_REVERSE if vendor == "sqlite" else []:
        schema_editor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ('catalogue', '0003_orderings_without_joins'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchEntry',
            fields=[
                ('item', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='search_entry', serialize=False, to='catalogue.item')),
                ('kind', models.CharField(choices=[('paper', 'Working paper'), ('article', 'Journal article'), ('chapter', 'Book chapter'), ('book', 'Book'), ('software', 'Software component')], max_length=10)),
                ('year', models.PositiveSmallIntegerField(default=0, help_text='0 when the item has no year')),
                ('citations', models.PositiveIntegerField(default=0)),
                ('downloads', models.PositiveIntegerField(default=0)),
                ('free', models.BooleanField(default=False, help_text='Has a file without restriction')),
                ('jel_tops', models.CharField(blank=True, help_text='Top-level JEL letters, for facet counts', max_length=26)),
                ('sample', models.PositiveSmallIntegerField(default=0, help_text='Hash of the item id, 0-99')),
                ('archive', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='catalogue.archive')),
                ('series', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='catalogue.series')),
            ],
            options={
                'verbose_name_plural': 'search entries',
                'ordering': ['item_id'],
                'indexes': [models.Index(models.OrderBy(models.F('citations'), descending=True), models.OrderBy(models.F('item_id'), descending=True), name='search_cited'), models.Index(models.OrderBy(models.F('downloads'), descending=True), models.OrderBy(models.F('item_id'), descending=True), name='search_downloads'), models.Index(models.OrderBy(models.F('year'), descending=True), models.OrderBy(models.F('item_id'), descending=True), name='search_newest')],
            },
        ),
        migrations.RunPython(create_text_storage, drop_text_storage),
    ]
