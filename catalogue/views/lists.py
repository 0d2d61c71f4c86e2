"""What every browse page shares: its subject, canonical address, breadcrumbs and pages.

A browse page is a thin ListView: `get_subject()` resolves what the page is about (404 naming
what is missing), `get_queryset()` gives the list in page order (often ids only), `get_total()`
the kept count when there is one (else the paginator counts), and `load_page()` turns a page
of ids into rows. The template prints `pager`, `breadcrumbs` and `canonical_url`.
"""

from __future__ import annotations

from urllib.parse import unquote

from django.conf import settings
from django.http import HttpResponsePermanentRedirect
from django.views.generic import ListView

from ..browse.paging import CountedPaginator, canonical_page_query, page_or_404, page_path, pager
from ..browse.queries import items_in_order
from ..pages import breadcrumbs
from . import CitationLinesMixin, redirect_if_noncanonical


class BrowseListView(ListView):
    paginate_by = settings.PAGE_SIZE
    #: how the pager names one row and many
    noun = ("item", "items")

    def get_subject(self):
        return None

    def get_canonical_path(self) -> str:
        return self.subject.get_absolute_url()

    def get_total(self) -> int | None:
        """The list's length when it is kept somewhere; None makes the paginator count."""
        return None

    def load_page(self, rows: list) -> list:
        """The rows a page shows, from the page's slice of the queryset."""
        return rows

    def get_breadcrumbs(self) -> list[tuple[str, str | None]]:
        """(label, address) from the home page down to this page (whose address is None)."""
        return breadcrumbs.trail()

    def get_title(self) -> str:
        return str(self.subject)

    def get(self, request, *args, **kwargs):
        self.subject = self.get_subject()
        path = self.get_canonical_path()
        query = canonical_page_query(request.GET.get(self.page_kwarg))
        if query is None:  # not a page number: the page says so (404)
            return redirect_if_noncanonical(request, path) or super().get(request, *args, **kwargs)
        if request.path != unquote(path) or request.META.get("QUERY_STRING", "") != query:
            return HttpResponsePermanentRedirect(f"{path}?{query}" if query else path)
        return super().get(request, *args, **kwargs)

    def paginate_queryset(self, queryset, page_size):
        paginator = CountedPaginator(queryset, page_size, count=self.get_total())
        page = page_or_404(paginator, self.request.GET.get(self.page_kwarg))
        page.object_list = self.load_page(list(page.object_list))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(subject=self.subject, **kwargs)
        page = context["page_obj"]
        path = self.get_canonical_path()
        number = page.number if page is not None else 1
        title = self.get_title()
        context.update(
            pager=pager(page, path, *self.noun) if page is not None else None,
            canonical_url=self.request.build_absolute_uri(page_path(path, number)),
            breadcrumbs=[*self.get_breadcrumbs(), (title, None)],
            title=title if number == 1 else f"{title} (page {number:,})",
        )
        return context


class ItemListView(CitationLinesMixin, BrowseListView):
    """A list of items shown as citation lines: the queryset gives item ids in page order."""

    template_name = "browse/items.html"
    context_object_name = "items"

    def load_page(self, rows: list) -> list:
        return items_in_order(rows)
