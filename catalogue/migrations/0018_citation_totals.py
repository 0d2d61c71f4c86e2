# Citation totals of series and archives, and self-citation counts of items, filled in from the rows.

from django.db import migrations, models
from django.db.models import Count, IntegerField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce


def _total(queryset, outer, what, total):
    grouped = queryset.filter(**{outer: OuterRef("pk")}).order_by().values(outer).annotate(n=total(what)).values("n")
    return Coalesce(Subquery(grouped, output_field=IntegerField()), 0)


def fill(apps, schema_editor):
    """Self-citation counts of the items that have any, then the series and archive totals."""
    Item, Reference = apps.get_model("catalogue", "Item"), apps.get_model("catalogue", "Reference")
    Series, Archive = apps.get_model("catalogue", "Series"), apps.get_model("catalogue", "Archive")
    self_cites = Reference.objects.filter(self_citation=True, status__in=["matched", "confirmed"])
    cited = list(self_cites.values_list("target_id", flat=True).distinct())
    for start in range(0, len(cited), 5000):
        Item.objects.filter(pk__in=cited[start : start + 5000]).update(
            self_citation_count=_total(self_cites, "target", "citing", lambda what: Count(what, distinct=True))
        )
    Series.objects.update(citation_count=_total(Item.objects.all(), "series", "citation_count", Sum))
    Archive.objects.update(citation_count=_total(Series.objects.all(), "archive", "citation_count", Sum))


class Migration(migrations.Migration):

    dependencies = [
        ('catalogue', '0017_reference_self_citation'),
    ]

    operations = [
        migrations.AddField(
            model_name='archive',
            name='citation_count',
            field=models.PositiveIntegerField(default=0, editable=False, help_text='Citations of its items; kept by catalogue.citations.counts'),
        ),
        migrations.AddField(
            model_name='item',
            name='self_citation_count',
            field=models.PositiveIntegerField(default=0, help_text='Citations by items sharing an author, counted in citation_count (rankings leave them out)'),
        ),
        migrations.AddField(
            model_name='series',
            name='citation_count',
            field=models.PositiveIntegerField(default=0, editable=False, help_text='Citations of its items; kept by catalogue.citations.counts'),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
