"""manage.py harvest: one line a run, its errors, and exit 1 when a run failed or was flagged."""

import io

import pytest
from django.core.management import CommandError, call_command

from catalogue.models import HarvestRun

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def tst(archive_factory, archive_folder, http_server):
    return archive_factory(code="tst", handle="RePEc:tst", url=f"{http_server.url}/RePEc/tst/")


def test_harvest_named_archives(tst):
    out = io.StringIO()
    call_command("harvest", "TST", stdout=out)
    assert out.getvalue().startswith(
        "tst: ok; files seen 9, fetched 9, unchanged 0, failed 0, missing 0; items created 14"
    )
    call_command("harvest", "--all", stdout=out)
    assert "tst: ok; files seen 9, fetched 0, unchanged 9" in out.getvalue()
    assert HarvestRun.objects.count() == 2


def test_a_failed_run_exits_1_with_its_errors(tst, http_server):
    http_server.rules["/RePEc/tst/"] = ("status", 404)
    http_server.rules["/RePEc/tst/tstarch.rdf"] = ("status", 404)
    http_server.rules["/RePEc/tst/tstseri.rdf"] = ("status", 404)
    err = io.StringIO()
    with pytest.raises(CommandError, match="failed or flagged: tst"):
        call_command("harvest", "tst", stdout=io.StringIO(), stderr=err)
    assert f"error: {http_server.url}/RePEc/tst/: the listing failed: HTTP 404" in err.getvalue()


@pytest.mark.parametrize(
    ("args", "message"),
    [((), "name archive codes, or --all"), (("tst", "--all"), "not both"), (("zzz",), "no archive zzz")],
)
def test_bad_arguments(tst, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("harvest", *args)


def test_an_archive_without_a_url(archive_factory):
    archive_factory(code="nou", handle="RePEc:nou", url="")
    with pytest.raises(CommandError, match="no URL to harvest from for nou"):
        call_command("harvest", "nou")
