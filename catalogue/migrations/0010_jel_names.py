"""Load the JEL tree with names (catalogue.jel) and name the codes imported without one.

Numbered 0010 so that it does not collide with the search migrations (0004+) being written
at the same time; the merge renumbers if needed.
"""

from django.db import migrations


def load_jel_tree(apps, schema_editor):
    from catalogue.jel import load_jel_tree

    load_jel_tree(apps.get_model("catalogue", "JelCode"))


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0003_orderings_without_joins")]

    operations = [migrations.RunPython(load_jel_tree, migrations.RunPython.noop)]
