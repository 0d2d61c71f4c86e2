"""The whole JEL classification (catalogue/jel.tsv): every three-character code with its official
name, the `X0` categories, and the official (unabridged) names of the codes already there."""

from django.db import migrations


def load_whole_classification(apps, schema_editor):
    from catalogue.jel import load_jel_tree

    load_jel_tree(apps.get_model("catalogue", "JelCode"), rename=True)


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0030_lookup_indexes")]

    operations = [migrations.RunPython(load_whole_classification, migrations.RunPython.noop)]
