"""The JEL classification: the tree with counts, and a code's items (its sub-codes' included)."""

from django.http import Http404

from ..browse.queries import jel_family, jel_item_ids
from ..models import JelCode
from ..pages import breadcrumbs
from .lists import BrowseListView, ItemListView


class JelTreeView(BrowseListView):
    """Every JEL code with the items classified under it; one page (the tree has about a thousand codes)."""

    template_name = "browse/jel_tree.html"
    context_object_name = "codes"
    paginate_by = 2000
    noun = ("code", "codes")

    def get_canonical_path(self) -> str:
        return "/j/"

    def get_title(self) -> str:
        return "JEL classification"

    def get_queryset(self):
        return JelCode.objects.order_by("code")


class JelView(ItemListView):
    """A JEL code: its name, parent and children, and the items under it or under its sub-codes."""

    template_name = "browse/jel.html"

    def get_subject(self):
        code = self.kwargs["code"].upper()
        family = jel_family(code) if code.isascii() and code.isalnum() and len(code) <= 3 else []
        self.subtree = [c for c in family if c.code.startswith(code)]
        self.above = [c for c in family if len(c.code) < len(code)]
        if not self.subtree or self.subtree[0].code != code:
            raise Http404(f"There is no JEL code {self.kwargs['code']}: see the classification at /j/.")
        return self.subtree[0]

    def get_breadcrumbs(self):
        return breadcrumbs.for_jel(self.above)

    def get_title(self) -> str:
        return f"JEL {self.subject.code}: {self.subject.name}" if self.subject.name else f"JEL {self.subject.code}"

    def get_total(self) -> int:
        return self.subject.item_count

    def get_queryset(self):
        return jel_item_ids(self.subject, [c.code for c in self.subtree])

    def get_context_data(self, **kwargs):
        children = [c for c in self.subtree if c.parent_id == self.subject.code]
        parent = self.above[-1] if self.above else None
        return super().get_context_data(children=children, parent=parent, **kwargs)
