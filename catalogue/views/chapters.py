"""A book's chapters, all of them, paginated (the book's page lists the first CHAPTERS_LIMIT)."""

from django.conf import settings
from django.http import Http404
from django.views.generic import ListView

from ..browse.paging import page_path, pager
from ..models import Kind, parts_of
from ..pages import breadcrumbs
from . import CitationLinesMixin, redirect_if_noncanonical
from .access import item_at_path_or_404


class ChaptersView(CitationLinesMixin, ListView):
    template_name = "items/chapters.html"
    paginate_by = settings.PAGE_SIZE
    context_object_name = "items"

    def get(self, request, *args, **kwargs):
        self.item = item_at_path_or_404(request, kwargs, "/chapters")
        if self.item.kind != Kind.BOOK:
            raise Http404(f"{self.item.handle} is not a book: it has no chapters.")
        return redirect_if_noncanonical(request, self.item.get_chapters_url()) or super().get(request, *args, **kwargs)

    def get_queryset(self):
        return parts_of(self.item.pk).for_listing()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            item=self.item, breadcrumbs=breadcrumbs.for_item(self.item, "Chapters"), **kwargs
        )
        number = context["page_obj"].number if context["page_obj"] is not None else 1
        context["canonical_url"] = self.request.build_absolute_uri(page_path(self.item.get_chapters_url(), number))
        context["pager"] = pager(context["page_obj"], self.item.get_chapters_url(), "chapter", "chapters")
        return context
