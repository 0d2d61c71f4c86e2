"""The full list of items citing an item, paginated (the item page shows the newest)."""

from django.conf import settings
from django.views.generic import ListView

from ..browse.paging import page_path, pager
from ..models import Item, Reference
from ..pages import breadcrumbs
from . import CitationLinesMixin, redirect_if_noncanonical
from .access import item_at_path_or_404


class CitedByView(CitationLinesMixin, ListView):
    template_name = "items/cited_by.html"
    paginate_by = settings.PAGE_SIZE
    context_object_name = "items"

    def get(self, request, *args, **kwargs):
        self.item = item_at_path_or_404(request, kwargs, "/citations")
        return redirect_if_noncanonical(request, self.item.get_cited_by_url()) or super().get(request, *args, **kwargs)

    def get_queryset(self):
        return (
            Item.objects.filter(pk__in=Reference.objects.citing_item_ids(self.item))
            .annotate(self_citation=Reference.objects.self_citation_of(self.item))
            .for_listing()
            .order_by("-pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            item=self.item, breadcrumbs=breadcrumbs.for_item(self.item, "Cited by"), **kwargs
        )
        number = context["page_obj"].number if context["page_obj"] is not None else 1
        context["canonical_url"] = self.request.build_absolute_uri(page_path(self.item.get_cited_by_url(), number))
        context["pager"] = pager(context["page_obj"], self.item.get_cited_by_url(), "item", "items")
        return context
