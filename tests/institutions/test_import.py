"""ReDIF-Institution templates into institutions (issue 20): upsert by handle, every level's
names, the country, parents and affiliations linked whichever file came first, errors by file:line."""

import shutil

import pytest
from django.core.management import call_command

from catalogue.ingest.importer import Importer
from catalogue.models import Affiliation, Institution, Person
from catalogue.redif.parser import parse_text

pytestmark = pytest.mark.django_db

YALE = (
    "Template-Type: ReDIF-Institution 1.0\nPrimary-Name: Yale University\nPrimary-Location: New Haven (United States)\n"
)
YALE += "Primary-Homepage: https://www.yale.edu/\nHandle: RePEc:edi:yaleeus\n\n"
PERSON = """Template-Type: ReDIF-Person 1.0
Name-Full: Ana Autora
Short-Id: pau1
Workplace-Name: MacMillan Center, Yale
Workplace-Institution: RePEc:edi:yciasus
Workplace-Share: 60
Workplace-Name: Somewhere not in EDIRC
Workplace-Institution: RePEc:edi:zzzzzzz
Workplace-Share: 40
Handle: RePEc:per:2020-01-01:ana_autora

"""


def import_text(text: str, name: str = "inst.rdf"):
    importer = Importer()
    importer.import_templates(parse_text(text, name))
    return importer.finish()


def test_the_sample_institutions_import_with_their_levels_location_homepage_and_country(data_dir, capsys):
    call_command("import_redif", str(data_dir / "redif" / "redif-perl-t" / "institutions.rdf"))
    assert "created 3 (3 institution)" in capsys.readouterr().out
    boku = Institution.objects.get(code="abokuat")
    assert boku.handle == "RePEc:edi:abokuat"
    assert boku.name == "Institute for Agricultural Economics"  # English, where given
    assert boku.native_name == "Institut für Agrarökonomik"
    assert boku.levels == [
        {"name": "Universität für Bodenkultur", "en": "University of Agricultural Sciences"},
        {"name": "Institut für Agrarökonomik", "en": "Institute for Agricultural Economics"},
    ]
    assert boku.full_name == "University of Agricultural Sciences, Institute for Agricultural Economics"
    assert (boku.location, boku.country, boku.homepage) == ("Wien", "AT", "http://www.boku.ac.at:80/iao/")
    assert boku.postal == "Peter Jordan Straße 82, A-1190 Wien"
    abs_ = Institution.objects.get(code="absgvau")
    assert (abs_.name, abs_.native_name, abs_.country, abs_.email) == (
        "Australian Bureau of Statistics",
        "",
        "AU",
        "client.services@abs.gov.au",
    )
    assert Institution.objects.get(code="aawaunl").country == "NL"
    call_command("import_redif", str(data_dir / "redif" / "redif-perl-t" / "institutions.rdf"))
    assert "unchanged 3" in capsys.readouterr().out


def test_a_parent_and_affiliations_are_linked_whichever_came_first(data_dir):
    report = import_text(PERSON)  # the person first: the handle is kept, nothing to link yet
    assert not report.errors
    first, second = Affiliation.objects.order_by("position")
    assert (first.institution, first.institution_ref, first.share) == ("RePEc:edi:yciasus", None, 60)
    yale_center = (data_dir / "redif" / "ras" / "yciasus.rdf").read_text(encoding="utf-8-sig")
    report = import_text(yale_center, "yciasus.rdf")  # the department before its university
    assert report.created == {"institution": 1}
    center = Institution.objects.get(code="yciasus")
    assert center.parent is None
    first.refresh_from_db()
    assert first.institution_ref == center
    assert center.location == "New Haven, Connecticut (United States)"
    assert center.country == "US"
    import_text(YALE, "yale.rdf")
    center.refresh_from_db()
    assert center.parent.code == "yaleeus"
    assert list(center.parent.children.all()) == [center]
    second.refresh_from_db()
    assert second.institution_ref is None
    assert second.institution == "RePEc:edi:zzzzzzz"


def test_a_changed_template_updates_and_a_bad_one_is_reported_by_file_and_line(tmp_path):
    report = import_text(YALE)
    assert report.created == {"institution": 1}
    report = import_text(YALE.replace("https://www.yale.edu/", "https://yale.edu/"))
    assert report.updated == {"institution": 1}
    assert Institution.objects.get().homepage == "https://yale.edu/"
    bad = "Template-Type: ReDIF-Institution 1.0\nPrimary-Location: Nowhere\nHandle: RePEc:edi:nonamex\n\n"
    folder = tmp_path / "edi"
    folder.mkdir()
    (folder / "edirc.rdf").write_text(YALE + bad, encoding="utf-8")
    report = Importer().import_paths([folder])
    assert report.updated == {"institution": 1}  # the homepage back as it was
    [error] = report.errors
    assert error.startswith(f"{folder / 'edirc.rdf'}:7: ")
    assert "Primary-Name" in error
    assert Institution.objects.count() == 1


def test_the_same_code_under_another_handle_is_refused_by_its_line():
    import_text(YALE)
    report = import_text(YALE.replace("RePEc:edi:yaleeus", "RePEc:xyz:yaleeus"), "other.rdf")
    [error] = report.errors
    assert error.startswith("other.rdf:1: the database refused this template")
    assert Institution.objects.get().handle == "RePEc:edi:yaleeus"


def test_a_person_reimported_with_another_workplace_is_relinked(data_dir):
    import_text(YALE)
    import_text(PERSON.replace("RePEc:edi:yciasus", "RePEc:edi:YALEEUS"))
    first = Person.objects.get().affiliations.get(position=0)
    assert first.institution_ref.code == "yaleeus"


def test_a_harvest_from_the_registry_may_write_institutions_others_may_not(data_dir, tmp_path, settings):
    from catalogue.harvest.run import HarvestImporter

    settings.HARVEST_REGISTRY_ARCHIVES = ["edi"]
    registry = HarvestImporter("edi")
    registry.import_templates(parse_text(YALE, "yale.rdf"))
    assert registry.finish().created == {"institution": 1}
    other = HarvestImporter("aaa")
    other.import_templates(parse_text(YALE.replace("Yale University", "Elsewhere"), "yale.rdf"))
    [error] = other.finish().errors
    assert error == "yale.rdf:1: an institution is not an archive's record: nothing of it was written"
    assert Institution.objects.get().name == "Yale University"
    shutil.rmtree(tmp_path, ignore_errors=True)


def test_the_migration_links_affiliations_already_there_by_handle(data_dir):
    """0035's data step: affiliations imported before institutions existed point at them."""
    from importlib import import_module

    from django.apps import apps

    import_text(PERSON)
    import_text(YALE)
    Affiliation.objects.update(institution_ref=None)
    Affiliation.objects.filter(position=0).update(institution=" RePEc:edi:YALEEUS ")
    import_module("catalogue.migrations.0035_institutions").link_affiliations(apps, None)
    first, second = Affiliation.objects.order_by("position")
    assert first.institution_ref.code == "yaleeus"
    assert second.institution_ref is None
