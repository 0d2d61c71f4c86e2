"""catalogue.handles: the key, parts and slug of a RePEc handle, in one place; and the places that
used to write them by hand (the model's key, lookups, the handle resolver, the commands)."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from catalogue.authors.claiming import search_items
from catalogue.handles import (
    archive_key,
    code_slug,
    handle_key,
    handle_parts,
    item_slug,
    looks_like_handle,
    normalise_handle,
    repec_codes,
    series_key,
)
from catalogue.models import HandleAlias, Item, item_by_handle
from catalogue.redif import values


def test_the_key_is_the_stripped_handle_in_lower_case():
    assert handle_key(" RePEc:IPT:iptwpa:JRC108028\n") == "repec:ipt:iptwpa:jrc108028"
    assert handle_key("repec:ipt:iptwpa:jrc108028") == "repec:ipt:iptwpa:jrc108028"
    assert handle_key("") == ""  # never raises: a key of anything typed


def test_parts_keep_the_case_and_the_slug_and_codes_are_lower_case():
    handle = "repec:TAF:RegStd:v:54:y:2020:i:10:p:1341-1353"
    assert handle_parts(handle) == ("TAF", "RegStd", "v54y2020i10p1341-1353")
    assert item_slug(handle) == "v54y2020i10p1341-1353"
    assert item_slug("RePEc:ipt:iptwpa:JRC108028") == "jrc108028"
    assert item_slug("RePEc:ipt:iptwpa") == ""
    assert code_slug("v:54:I:10") == "v54i10"
    assert item_slug("RePEc:ulb:ulbeco:2013/245817") == "2013-245817"  # as IDEAS writes it
    assert repec_codes("RePEc:ulb:ulbeco:2013/245817") == ("ulb", "ulbeco", "2013-245817")
    assert archive_key(handle) == "taf"
    assert series_key(handle) == ("taf", "regstd")
    assert series_key("RePEc:IPT") == ("ipt", "")
    for bad in ("", "ipt:iptwpa:1", "RePEc:ip:iptwpa:1", "RePEc:ipt:iptwp:1", "RePEc:ipt:iptwpa:a b"):
        with pytest.raises(ValueError, match="handle"):
            item_slug(bad)
        with pytest.raises(ValueError, match="handle"):
            series_key(bad)


def test_the_prefix_gets_its_canonical_case():
    assert normalise_handle(" repec:ipt:iptwpa:JRC1 ") == "RePEc:ipt:iptwpa:JRC1"
    assert normalise_handle("RELIS:abc") == "ReLIS:abc"


def test_repec_codes_are_for_lookups_and_never_raise():
    assert repec_codes(" repec:IPT:IPTWPA ") == ("ipt", "iptwpa", "")
    assert repec_codes("RePEc:ipt") == ("ipt", "", "")
    assert repec_codes("RePEc:ipt:iptwpa:JRC:1") == ("ipt", "iptwpa", "jrc1")
    # a ReLIS handle names nothing the resolver looks up by codes; a malformed one nothing at all
    for other in ("ReLIS:abc:defghi", "foo:ipt:iptwpa", "RePEc:", "RePEc:ipt:", "RePEc:ipt:ipt wpa", ""):
        assert repec_codes(other) is None


def test_what_looks_like_a_handle_is_the_same_everywhere():
    """The admin's search took the three prefixes, the claim search and the citation report
    only "repec:": all now take what normalise_handle takes."""
    for text in ("RePEc:ipt", " repec:ipt:iptwpa", "ReLIS:abc", "mapin:x"):
        assert looks_like_handle(text)
    for text in ("Regional innovation", "https://ideas.repec.org/p/ipt/iptwpa/jrc1.html", "pso1", "repec"):
        assert not looks_like_handle(text)


def test_the_reader_reexports_the_one_implementation():
    for name in ("normalise_handle", "handle_parts", "document_handle", "series_handle", "person_handle"):
        assert getattr(values, name).__module__ == "catalogue.handles"


@pytest.mark.django_db
def test_the_stored_key_is_the_lookup_key_even_for_a_padded_handle(item_factory, series_factory):
    """Item.save and HandleAlias.save lower-cased without stripping, while every lookup
    stripped: a handle saved with a space around it (a shell, a fixture) could not be found."""
    series = series_factory(archive__code="zqa", code="wpaper")
    item = item_factory(series=series, slug="1", handle=" RePEc:zqa:wpaper:1 ")
    assert item.handle_key == "repec:zqa:wpaper:1"
    assert Item.objects.by_handle("RePEc:ZQA:wpaper:1").get() == item
    alias = HandleAlias.objects.create(item=item, handle="RePEc:zqa:wpaper:OLD\n")
    assert alias.handle_key == "repec:zqa:wpaper:old"
    assert item_by_handle("repec:zqa:wpaper:old") == item


@pytest.mark.django_db
def test_the_resolver_reads_series_and_archive_handles_by_their_codes(client, item_factory, series_factory):
    series = series_factory(archive__code="zqa", code="wpaper")
    item = item_factory(series=series, slug="1")
    assert client.get("/h/repec:ZQA:WPaper:1").headers["Location"] == item.get_absolute_url()
    assert client.get("/h/RePEc:zqa:wpaper").headers["Location"] == series.get_absolute_url()
    assert client.get("/h/REPEC:ZQA").headers["Location"] == series.archive.get_absolute_url()
    for unknown in ("ReLIS:zqa:wpaper", "RePEc:zqa:wpaper:", "RePEc:zqa:wpapers", "RePEc:zq"):
        assert client.get(f"/h/{unknown}").status_code == 404


@pytest.mark.django_db
def test_refresh_stats_takes_series_handles_in_any_case_and_only_those(series_factory):
    series_factory(archive__code="zqa", code="wpaper")
    out = StringIO()
    call_command("refresh_stats", "--series", "repec:ZQA:WPAPER", "--today", "2025-02-10", stdout=out)
    assert "statistics refreshed" in out.getvalue()
    # split by hand, any prefix passed for a series handle ("foo:zqa:wpaper"); an item handle does not
    for not_a_series in ("foo:zqa:wpaper", "RePEc:zqa:wpaper:1"):
        with pytest.raises(CommandError, match="unknown handle"):
            call_command("refresh_stats", "--series", not_a_series, stdout=StringIO())


@pytest.mark.django_db
def test_the_claim_search_takes_a_relis_handle_as_a_handle(item_factory, series_factory):
    series = series_factory(archive__code="rls", code="wpaper", handle="ReLIS:rls:wpaper")
    item = item_factory(series=series, slug="7", handle="ReLIS:rls:wpaper:7", title="Seven")
    assert search_items("relis:RLS:wpaper:7") == [item]
