"""Load the JEL tree with names (catalogue.jel) and name the codes imported without one.

Numbered 0010 so that it does not collide with the search migrations (0004+) being written
at the same time; the merge renumbers if needed.
"""

from django.db import migrations


def load_jel_tree(apps, schema_editor):
    from catalogue.jel import JEL_NAMES, jel_name, parent_code

    JelCode = apps.get_model("catalogue", "JelCode")
    existing = set(JelCode.objects.values_list("code", flat=True))
    # parents before children, so that each parent exists when its child is written
    JelCode.objects.bulk_create(
        [
            JelCode(code=code, parent_id=parent_code(code), name=name)
            for code, name in sorted(JEL_NAMES.items(), key=lambda kv: (len(kv[0]), kv[0]))
            if code not in existing
        ]
    )
    unnamed = list(JelCode.objects.filter(name=""))
    for code in unnamed:
        code.name = jel_name(code.code)
    JelCode.objects.bulk_update([c for c in unnamed if c.name], ["name"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0003_orderings_without_joins")]

    operations = [migrations.RunPython(load_jel_tree, migrations.RunPython.noop)]
