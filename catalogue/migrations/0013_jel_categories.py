"""Name the two-character JEL categories added to catalogue.jel (and create those missing)."""

from django.db import migrations


def load_jel_tree(apps, schema_editor):
    from catalogue.jel import load_jel_tree

    load_jel_tree(apps.get_model("catalogue", "JelCode"))


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0012_merge_0004_search_0011_browse_counts_and_indexes")]

    operations = [migrations.RunPython(load_jel_tree, migrations.RunPython.noop)]
