"""Access and download statistics of an item: monthly figures and totals."""

from django.db.models import Sum
from django.views.generic import TemplateView

from . import item_for_subpage, redirect_if_noncanonical


class ItemStatsView(TemplateView):
    template_name = "stats/item.html"

    def get(self, request, *args, **kwargs):
        self.item = item_for_subpage(request, kwargs, "/stats")
        return redirect_if_noncanonical(request, self.item.get_stats_url()) or super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        months = list(self.item.monthly_stats.order_by("-month"))
        totals = self.item.monthly_stats.aggregate(views=Sum("abstract_views"), downloads=Sum("downloads"))
        canonical_url = self.request.build_absolute_uri(self.item.get_stats_url())
        return super().get_context_data(
            item=self.item, months=months, totals=totals, canonical_url=canonical_url, **kwargs
        )
