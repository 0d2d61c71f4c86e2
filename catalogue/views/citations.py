"""The full list of items citing an item, paginated (the item page shows the newest)."""

from django.conf import settings
from django.urls import reverse
from django.views.generic import ListView

from ..formatting import suggested_citation
from ..models import Item, Reference
from . import item_for_subpage, redirect_if_noncanonical


def cited_by_url(item: Item) -> str:
    return reverse(
        "cited_by",
        kwargs={
            "letter": item.kind_letter,
            "archive": item.series.archive.code,
            "series": item.series.code,
            "code": item.slug,
        },
    )


class CitedByView(ListView):
    template_name = "items/cited_by.html"
    paginate_by = settings.PAGE_SIZE
    context_object_name = "items"

    def get(self, request, *args, **kwargs):
        self.item = item_for_subpage(request, kwargs, "/citations")
        return redirect_if_noncanonical(request, cited_by_url(self.item)) or super().get(request, *args, **kwargs)

    def get_queryset(self):
        return Item.objects.filter(pk__in=Reference.objects.citing_item_ids(self.item)).for_listing().order_by("-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(item=self.item, **kwargs)
        context["entries"] = [(item, suggested_citation(item)) for item in context["items"]]
        return context
