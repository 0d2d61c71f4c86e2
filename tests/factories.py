"""factory_boy factories for the catalogue's models and its users; registered as fixtures in conftest.py."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from catalogue.models import (
    Archive,
    Authorship,
    File,
    Item,
    ItemKeyword,
    JelCode,
    Keyword,
    NepAnnouncement,
    NepIssue,
    NepReport,
    Person,
    Reference,
    RelatedItem,
    Series,
)

PASSWORD = "a long pass phrase"  # every factory-made user's password


class UserFactory(factory.django.DjangoModelFactory):
    """An account; the personas (tests/personas.py) are made with it, and so is any special user:
    `user_factory(is_staff=True, permissions=["change_item"])`, `user_factory(archives=[archive])`."""

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def permissions(self, create, codenames, **kwargs):
        """The catalogue's model permissions by codename (`change_item`)."""
        if create and codenames:
            wanted = Permission.objects.filter(content_type__app_label="catalogue", codename__in=codenames)
            self.user_permissions.add(*wanted)

    @factory.post_generation
    def archives(self, create, archives, **kwargs):
        """The archives this account is named a publisher of."""
        if create and archives:
            for archive in archives:
                archive.publishers.add(self)


class ArchiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Archive
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"a{n:02d}"[-3:])
    handle = factory.LazyAttribute(lambda o: f"RePEc:{o.code}")
    name = factory.Faker("company")
    maintainer_name = factory.Faker("name")
    maintainer_email = factory.Faker("email")


class SeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Series

    archive = factory.SubFactory(ArchiveFactory)
    code = factory.Sequence(lambda n: f"wp{n:04d}")
    handle = factory.LazyAttribute(lambda o: f"RePEc:{o.archive.code}:{o.code}")
    name = factory.Sequence(lambda n: f"Working Papers {n}")
    provider_name = factory.Faker("company")
    maintainer_name = factory.Faker("name")
    maintainer_email = factory.Faker("email")


class ItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Item

    series = factory.SubFactory(SeriesFactory)
    kind = factory.LazyAttribute(lambda o: o.series.kind)
    slug = factory.Sequence(lambda n: f"{n}")
    handle = factory.LazyAttribute(lambda o: f"{o.series.handle}:{o.slug}")
    title = factory.Faker("sentence", nb_words=8)
    abstract = factory.Faker("paragraph")
    year = 2017
    number = factory.LazyAttribute(lambda o: o.slug)


class AuthorshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Authorship

    item = factory.SubFactory(ItemFactory)
    position = factory.Sequence(lambda n: n)
    name = factory.Faker("name")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    short_id = factory.Sequence(lambda n: f"pxy{n}")
    name_first = factory.Faker("first_name")
    name_last = factory.Faker("last_name")
    name_full = factory.LazyAttribute(lambda o: f"{o.name_first} {o.name_last}")


class KeywordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Keyword
        django_get_or_create = ("key",)

    name = factory.Sequence(lambda n: f"keyword {n}")
    key = factory.LazyAttribute(lambda o: Keyword.make_key(o.name))


class ItemKeywordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ItemKeyword

    item = factory.SubFactory(ItemFactory)
    keyword = factory.SubFactory(KeywordFactory)
    position = factory.Sequence(lambda n: n)


class JelCodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JelCode
        django_get_or_create = ("code",)

    code = "O31"
    name = "Innovation and Invention: Processes and Incentives"


class FileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = File

    item = factory.SubFactory(ItemFactory)
    position = factory.Sequence(lambda n: n)
    url = factory.Sequence(lambda n: f"https://example.org/papers/{n}.pdf")
    format = "application/pdf"


class ReferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reference

    citing = factory.SubFactory(ItemFactory)
    position = factory.Sequence(lambda n: n)
    raw_text = factory.Faker("sentence", nb_words=12)
    status = Reference.Status.UNMATCHED


class RelatedItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RelatedItem

    item = factory.SubFactory(ItemFactory)
    related = factory.SubFactory(ItemFactory)
    rank = factory.Sequence(lambda n: n)
    score = 0.5


class NepReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NepReport
        django_get_or_create = ("code",)

    code = "nep-ino"
    name = "Innovation"


class NepIssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NepIssue

    report = factory.SubFactory(NepReportFactory)
    date = factory.Faker("date_object")


class NepAnnouncementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NepAnnouncement

    issue = factory.SubFactory(NepIssueFactory)
    item = factory.SubFactory(ItemFactory)
    position = factory.Sequence(lambda n: n)
