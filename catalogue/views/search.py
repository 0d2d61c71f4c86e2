"""Search at /search/."""

from django.conf import settings
from django.views.generic import ListView

from ..models import Item, Keyword
from . import CitationLinesMixin


class SearchView(CitationLinesMixin, ListView):
    """Interim search: every word in the title, and all the given keywords.

    Issue 3 replaces this with ranked full-text search; the URL and parameters stay.
    """

    template_name = "browse/search.html"
    paginate_by = settings.PAGE_SIZE
    context_object_name = "items"

    def get_queryset(self):
        self.query = self.request.GET.get("q", "").strip()[:200]
        keys = [Keyword.make_key(k) for k in self.request.GET.getlist("keyword")[:10] if k.strip()]
        self.keywords = list(Keyword.objects.filter(key__in=keys))
        items = Item.objects.all()
        for word in self.query.split()[:10]:
            items = items.filter(title__icontains=word)
        for keyword in self.keywords:
            items = items.filter(item_keywords__keyword=keyword)
        if not self.query and not self.keywords:
            items = items.none()
        return items.for_listing().order_by("-year", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(query=self.query, keywords=self.keywords, **kwargs)
        return context
