import pytest
from django.utils import timezone

from tests.factories import (
    ArchiveFactory,
    AuthorshipFactory,
    FileFactory,
    ItemFactory,
    ItemKeywordFactory,
    JelCodeFactory,
    SeriesFactory,
)


@pytest.fixture
def catalogue(db):
    """Two archives: `ipt` (series iptwpa: three papers, the last withdrawn) and `abc` (series
    abcwps: one paper). The paper jrc108028 has two authors, an editor, keywords, a JEL code, a file."""
    ipt = SeriesFactory(
        archive=ArchiveFactory(code="ipt", name="JRC Seville"), code="iptwpa", name="JRC Working Papers"
    )
    abc = SeriesFactory(archive=ArchiveFactory(code="abc", name="ABC Institute"), code="abcwps", name="ABC Papers")
    paper = ItemFactory(
        series=ipt, slug="jrc108028", handle="RePEc:ipt:iptwpa:jrc108028", title="Growth & <innovation>", doi="10.1/x"
    )
    AuthorshipFactory(item=paper, position=1, name="Ana Díaz")
    AuthorshipFactory(item=paper, position=2, name="Bo Li")
    AuthorshipFactory(item=paper, position=3, name="Ed Itor", role="editor")
    ItemKeywordFactory(item=paper, position=1)
    paper.jel_codes.add(JelCodeFactory(code="O31"))
    FileFactory(item=paper, position=1)
    others = [ItemFactory(series=ipt, slug=f"jrc{n}", handle=f"RePEc:ipt:iptwpa:jrc{n}") for n in (1, 2)]
    others[1].withdrawn_at = timezone.now()
    others[1].save()
    ItemFactory(series=abc, slug="a1", handle="RePEc:abc:abcwps:a1")
    return paper
