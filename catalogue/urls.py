"""The URL scheme mirrors IDEAS, so an IDEAS address works here with only the host changed."""

from django.urls import path, register_converter
from django.views.generic import TemplateView

from .api.app import api
from .views import (
    alerts,
    authors,
    bibliography,
    browse,
    chapters,
    citations,
    errors,
    exports,
    feeds,
    institutions,
    items,
    jel,
    me,
    nep,
    oai,
    opendata,
    repec,
    reports,
    search,
    sitemaps,
    stats,
)


class KindLetterConverter:
    regex = "[pahbc]"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class CodeConverter:
    """An archive, series or item code: no slashes, no dots at the end (the `.html` follows)."""

    regex = r"[^/]+?"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class HandleConverter:
    """A handle such as `RePEc:ipt:iptwpa:jrc108028`: colons allowed, any case, slashes too (an
    item code may hold one: `RePEc:ulb:ulbeco:2013/245817`); the shortest match before the suffix
    (`.xml`, `.atom`) that follows."""

    regex = r".+?"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class InstitutionCodeConverter:
    """The seven letters and digits of an EDIRC handle (`RePEc:edi:esyoxuk` -> `esyoxuk`), any
    case: never the two characters of the authors' directory, `/i/e<letter>.html`."""

    regex = "[A-Za-z0-9]{7}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class CountryConverter:
    """A two-letter country code, any case (`xx`: not known)."""

    regex = "[A-Za-z]{2}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(KindLetterConverter, "letter")
register_converter(InstitutionCodeConverter, "edirc")
register_converter(CountryConverter, "country")
register_converter(CodeConverter, "code")
register_converter(HandleConverter, "handle")

urlpatterns = [
    path("", browse.HomeView.as_view(), name="home"),
    path("healthz", errors.healthz, name="healthz"),
    path("robots.txt", items.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap_index"),
    path("sitemap-<slug:section>-<int:number>.xml", sitemaps.sitemap_section, name="sitemap_section"),
    path("oai", oai.oai, name="oai"),
    path("api/v1/", api.urls),  # the JSON API, its schema and docs page (catalogue/api/)
    # the RePEc archive files (catalogue.repec): the address a publisher registers with RePEc
    path("repec/<code:archive>/", repec.repec_folder, name="repec_folder"),
    path("repec/<code:archive>/<code:name>.rdf", repec.repec_archive_file, name="repec_archive_file"),
    path("repec/<code:archive>/<code:series>/", repec.repec_series_folder, name="repec_series_folder"),
    path("repec/<code:archive>/<code:series>/<code:name>.rdf", repec.repec_series_file, name="repec_series_file"),
    path("data/", opendata.open_data, name="open_data"),
    path("data/<str:name>", opendata.data_file, name="open_data_file"),
    path("download/<int:file_id>/", items.download, name="download"),
    path("search/", search.SearchView.as_view(), name="search"),
    path("search/choices/<slug:field>.json", search.choices, name="search_choices"),
    path("<letter:letter>/<code:archive>/<code:series>/<code:code>.html", items.ItemView.as_view(), name="item"),
    path("h/<path:handle>", items.handle_redirect, name="handle"),
    # the extension is what follows the last dot (item codes may hold dots)
    path("cite/<path:handle>.html", exports.cite_page, name="cite_page"),
    path("cite/<path:handle>.<str:extension>", exports.export, name="export"),
    path("s/", browse.ArchiveListView.as_view(), name="archives"),
    path("s/<code:archive>.html", browse.ArchiveView.as_view(), name="archive"),
    path("s/<code:archive>/<code:series>.html", browse.SeriesView.as_view(), name="series"),
    path("e/<code:short_id>.html", authors.PersonView.as_view(), name="person"),
    path("e/", authors.authors_index, name="authors"),
    # institutions (EDIRC): before the authors' directory, whose /i/e<letter>.html they never match
    path("i/", institutions.DirectoryView.as_view(), name="institutions"),
    path("i/c/<country:cc>.html", institutions.CountryView.as_view(), name="institution_country"),
    path("i/<edirc:code>.html", institutions.InstitutionView.as_view(), name="institution"),
    path("i/<edirc:code>/authors.html", institutions.InstitutionAuthorsView.as_view(), name="institution_authors"),
    path("i/e<str:letter>.html", authors.AuthorIndexView.as_view(), name="authors_letter"),
    path("about/", TemplateView.as_view(template_name="site/about.html"), name="about"),
    path("help/", TemplateView.as_view(template_name="site/help.html"), name="help"),
    path("contact/", TemplateView.as_view(template_name="site/contact.html"), name="contact"),
    path("j/", jel.JelTreeView.as_view(), name="jel_tree"),
    path("j/<code:code>.html", jel.JelView.as_view(), name="jel"),
    path("k/<path:keyword>.html", browse.KeywordView.as_view(), name="keyword"),
    path("n/", nep.NepReportListView.as_view(), name="nep_reports"),
    path("n/<code:code>.html", nep.NepReportView.as_view(), name="nep_report"),
    path("n/<code:code>/<code:date>.html", nep.NepIssueView.as_view(), name="nep_issue"),
    path(
        "citations/<letter:letter>/<code:archive>/<code:series>/<code:code>.html",
        citations.CitedByView.as_view(),
        name="cited_by",
    ),
    path(
        "chapters/<letter:letter>/<code:archive>/<code:series>/<code:code>.html",
        chapters.ChaptersView.as_view(),
        name="chapters",
    ),
    path("citations/report/link/<int:pk>/", reports.LinkReportView.as_view(), name="report_link"),
    path("citations/report/cites/<int:pk>/", reports.CitesReportView.as_view(), name="report_cites"),
    path(
        "stats/<letter:letter>/<code:archive>/<code:series>/<code:code>.html",
        stats.ItemStatsView.as_view(),
        name="item_stats",
    ),
    path("stats/s/<code:archive>/<code:series>.html", stats.SeriesStatsView.as_view(), name="series_stats"),
    path("stats/e/<code:short_id>.html", stats.PersonStatsView.as_view(), name="person_stats"),
    path("stats/top/items.html", stats.TopItemsView.as_view(), name="top_items"),
    path("stats/top/authors.html", stats.TopAuthorsView.as_view(), name="top_authors"),
    path("stats/top/institutions.html", stats.TopInstitutionsView.as_view(), name="top_institutions"),
    # the author service: the logged-in owner's own profile only
    path("me/", me.account, name="my_account"),
    path("me/profile/", me.profile, name="my_profile"),
    path("me/profile/adopt/", me.adopt, name="adopt_profile"),
    path("me/works/", me.works, name="my_works"),
    path("me/works/claim/", me.claim, name="claim_work"),
    path("me/works/refuse/", me.refuse, name="refuse_work"),
    path("me/works/undo/", me.undo_refusal, name="undo_refusal"),
    path("me/works/versions/", me.versions, name="work_versions"),
    path("me/citations/", me.citations, name="pending_citations"),
    path("me/reports/", reports.MyReportsView.as_view(), name="my_reports"),
    path("me/citations/decide/", me.decide, name="decide_citations"),
    # a logged-in reader's own pages
    path("me/alerts/", alerts.alert_list, name="my_alerts"),
    path("me/alerts/subscribe/", alerts.subscribe, name="alert_subscribe"),
    path("me/alerts/<int:pk>/frequency/", alerts.frequency, name="alert_frequency"),
    path("me/alerts/<int:pk>/remove/", alerts.remove, name="alert_remove"),
    path("me/alerts/address-works/", alerts.address_works, name="alert_address_works"),
    path("me/alerts/report/", alerts.report, name="alert_report"),
    path("alerts/unsubscribe/<str:token>/", alerts.unsubscribe, name="unsubscribe"),
    path("me/bibliography/", bibliography.BibliographyView.as_view(), name="bibliography"),
    path("me/bibliography/save/", bibliography.save, name="bibliography_save"),
    path("me/bibliography/remove/", bibliography.remove, name="bibliography_remove"),
    path("me/bibliography.bib", bibliography.export, {"extension": "bib"}, name="bibliography_bib"),
    path("me/bibliography.ris", bibliography.export, {"extension": "ris"}, name="bibliography_ris"),
    path("feeds/citations/<handle:handle>.xml", feeds.CitationsFeed(), name="feed_citations_rss"),
    path("feeds/citations/<handle:handle>.atom", feeds.CitationsAtomFeed(), name="feed_citations_atom"),
    path("feeds/author/<code:short_id>.xml", feeds.AuthorFeed(), name="feed_author_rss"),
    path("feeds/author/<code:short_id>.atom", feeds.AuthorAtomFeed(), name="feed_author_atom"),
    path("feeds/series/<code:archive>/<code:series>.xml", feeds.SeriesFeed(), name="feed_series_rss"),
    path("feeds/series/<code:archive>/<code:series>.atom", feeds.SeriesAtomFeed(), name="feed_series_atom"),
]
