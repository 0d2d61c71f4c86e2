"""The catalogue's models, one module per family, re-exported here."""

from .alerts import MailBounce, Mailing, Subscription
from .archives import KIND_LETTERS, Archive, Kind, Series
from .citations import CitationReport, Reference, RelatedItem
from .harvest import HarvestFile, HarvestRun
from .institutions import Institution, InstitutionWork
from .items import (
    Authorship,
    File,
    HandleAlias,
    Item,
    ItemKeyword,
    JelCode,
    Keyword,
    item_by_handle,
    ordered_authorships,
    version_key,
    work_citations,
)
from .jobs import JobRun
from .lists import ListAnchor
from .nep import NepAnnouncement, NepIssue, NepReport
from .people import Affiliation, Claim, Person
from .readers import SavedItem
from .search import SearchEntry
from .stats import InstitutionStatTotals, ItemStatTotals, MonthlyStat, PersonStatTotals, StatRollup
from .versions import VersionLink, parts_of, version_handles

__all__ = [
    "KIND_LETTERS",
    "Affiliation",
    "Archive",
    "Authorship",
    "CitationReport",
    "Claim",
    "File",
    "HandleAlias",
    "HarvestFile",
    "HarvestRun",
    "Institution",
    "InstitutionStatTotals",
    "InstitutionWork",
    "Item",
    "ItemKeyword",
    "ItemStatTotals",
    "JelCode",
    "JobRun",
    "Keyword",
    "Kind",
    "ListAnchor",
    "MailBounce",
    "Mailing",
    "MonthlyStat",
    "NepAnnouncement",
    "NepIssue",
    "NepReport",
    "Person",
    "PersonStatTotals",
    "Reference",
    "RelatedItem",
    "SavedItem",
    "SearchEntry",
    "Series",
    "StatRollup",
    "Subscription",
    "VersionLink",
    "item_by_handle",
    "ordered_authorships",
    "parts_of",
    "version_handles",
    "version_key",
    "work_citations",
]
