"""import_stats: the CSV format, replacing months (idempotent), bad lines reported and skipped,
and the rollups of the items touched refreshed."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from catalogue.models import HandleAlias, ItemStatTotals, MonthlyStat, StatRollup
from catalogue.stats import months

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 3, 15)  # months up to 2025-02 have ended


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(months, "today", lambda: TODAY)


@pytest.fixture
def items(archive_factory, series_factory, item_factory):
    series = series_factory(archive=archive_factory(code="tst"), code="wpaper", handle="RePEc:tst:wpaper")
    return [item_factory(series=series, slug=str(n), handle=f"RePEc:tst:wpaper:{n}") for n in (1, 2)]


def figures() -> dict[tuple[str, str], tuple[int, int]]:
    rows = MonthlyStat.objects.select_related("item")
    return {(r.item.handle, f"{r.month:%Y-%m}"): (r.abstract_views, r.downloads) for r in rows}


def run(*paths) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_stats", *[str(p) for p in paths], stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


SAMPLE = {
    ("RePEc:tst:wpaper:1", "2024-11"): (120, 31),
    ("RePEc:tst:wpaper:1", "2024-12"): (98, 27),
    ("RePEc:tst:wpaper:2", "2024-12"): (15, 0),
    ("RePEc:tst:wpaper:2", "2025-01"): (7, 2),
}


def test_sample_file_imports_and_refreshes_the_rollups(items, data_dir):
    out, err = run(data_dir / "stats_sample.csv")
    assert err == ""
    assert "4 month(s) written, 0 error(s)" in out
    assert figures() == SAMPLE
    series = items[0].series
    rollup = {r.month: r.abstract_views for r in StatRollup.objects.filter(scope="series", scope_id=series.pk)}
    assert rollup == {datetime.date(2024, 11, 1): 120, datetime.date(2024, 12, 1): 113, datetime.date(2025, 1, 1): 7}
    totals = ItemStatTotals.objects.get(item=items[1])
    assert (totals.views_month, totals.views_year, totals.views_all) == (0, 22, 22)


def test_values_replace_months_and_rerunning_changes_nothing(items, data_dir):
    MonthlyStat.objects.create(item=items[0], month=datetime.date(2024, 11, 1), abstract_views=5000, downloads=9)
    MonthlyStat.objects.create(item=items[0], month=datetime.date(2024, 10, 1), abstract_views=3, downloads=1)
    run(data_dir / "stats_sample.csv")
    first = figures()
    assert first == SAMPLE | {("RePEc:tst:wpaper:1", "2024-10"): (3, 1)}  # replaced, not added; others kept
    run(data_dir / "stats_sample.csv")
    assert figures() == first
    assert MonthlyStat.objects.count() == 5


def test_bad_lines_are_reported_and_skipped(items, tmp_path):
    HandleAlias.objects.create(item=items[1], handle="RePEc:tst:old:2")
    path = tmp_path / "bad.csv"
    path.write_text(
        "handle,month,abstract_views,downloads\n"  # 1
        "RePEc:tst:wpaper:1,2024-11,10,2\n"  # 2: good
        "RePEc:tst:nothing:9,2024-11,10,2\n"  # 3: unknown handle
        "RePEc:tst:wpaper:1,2024-13,10,2\n"  # 4: bad month
        "RePEc:tst:wpaper:1,24-11,10,2\n"  # 5: bad month
        "RePEc:tst:wpaper:1,2024-10,-3,2\n"  # 6: negative
        "RePEc:tst:wpaper:1,2024-09,1.5,2\n"  # 7: not an integer
        "RePEc:tst:wpaper:1,2024-08,10\n"  # 8: a missing column
        "# a comment\n"  # 9
        "RePEc:tst:wpaper:1,2025-03,1,1\n"  # 10: not ended yet
        "RePEc:tst:wpaper:1,2024-11,11,3\n"  # 11: the same item and month again
        "RePEc:tst:old:2,2024-07,4,4\n"  # 12: good, an old handle
        ",2024-07,4,4\n"  # 13: no handle
    )
    with pytest.raises(CommandError, match="9 line"):
        run(path)
    assert figures() == {("RePEc:tst:wpaper:1", "2024-11"): (10, 2), ("RePEc:tst:wpaper:2", "2024-07"): (4, 4)}
    # the rollups of what landed are refreshed even though the command failed
    assert ItemStatTotals.objects.filter(item=items[1]).exists()


def test_error_messages_name_file_and_line(items, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "# comment\nhandle,month,abstract_views,downloads\nRePEc:tst:nothing:9,2024-11,10,2\n"
        "RePEc:tst:wpaper:1,2024-13,1,1\nRePEc:tst:wpaper:1,2024-10,-3,2\nRePEc:tst:wpaper:1,2024-08\n"
    )
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_stats", str(path), stdout=StringIO(), stderr=err)
    assert err.getvalue().splitlines() == [
        f"{path}:3: unknown handle repec:tst:nothing:9",
        f"{path}:4: bad month “2024-13”: write YYYY-MM, such as 2019-03",
        f"{path}:5: abstract_views must be a whole number from 0: “-3” is not",
        f"{path}:6: 2 column(s), expected 4: handle,month,abstract_views,downloads",
    ]


def test_a_file_without_the_header_writes_nothing(items, tmp_path, data_dir):
    path = tmp_path / "noheader.csv"
    path.write_text("RePEc:tst:wpaper:1,2024-11,10,2\n")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_stats", str(path), str(data_dir / "stats_sample.csv"), stdout=StringIO(), stderr=err)
    assert f"{path}:1: the first line must be the header handle,month,abstract_views,downloads" in err.getvalue()
    assert figures() == SAMPLE  # the other file still landed


def test_missing_file_is_an_error(items, tmp_path):
    with pytest.raises(CommandError):
        run(tmp_path / "nothing.csv")


def test_refresh_stats_command(items, data_dir):
    run(data_dir / "stats_sample.csv")
    StatRollup.objects.all().delete()
    out = StringIO()
    call_command("refresh_stats", "--series", "RePEc:tst:wpaper", "--today", "2025-02-10", stdout=out)
    assert "as of 2025-01" in out.getvalue()
    assert StatRollup.objects.filter(scope="series").count() == 3
    assert ItemStatTotals.objects.get(item=items[1]).views_month == 7
    with pytest.raises(CommandError, match="unknown handle"):
        call_command("refresh_stats", "--items", "RePEc:tst:wpaper:99", stdout=StringIO())
