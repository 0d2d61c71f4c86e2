# Search at 1M items: an index for the rare kinds, and the 1% sample's own text index.

from django.db import migrations, models

SMALL_SAMPLE = (
    "CREATE INDEX search_document_sample1 ON catalogue_searchentry USING gin (document) WHERE sample < 1",
    "DROP INDEX IF EXISTS search_document_sample1",
)


def postgres_only(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ("catalogue", "0013_jel_categories"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="searchentry",
            index=models.Index(
                condition=models.Q(("kind__in", ["book", "chapter", "software"])),
                fields=["kind"],
                name="search_kind_rare",
            ),
        ),
        migrations.RunPython(postgres_only(SMALL_SAMPLE[0]), postgres_only(SMALL_SAMPLE[1])),
    ]
