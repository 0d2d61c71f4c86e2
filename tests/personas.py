"""The people tests act as, in one place (as healthchecks' hc/test.py has alice, bob and charlie).

Ask for the persona whose rights the test is about; the anonymous visitor is pytest-django's
`client` as it comes. A test that needs someone else (a staff account holding one permission,
an inactive superuser) makes them with `user_factory` (tests/factories.py). Each persona's
username is its name and its address `<name>@example.org`; the password is factories.PASSWORD.
"""

import pytest
from django.test import Client


@pytest.fixture
def reader(user_factory):
    """Logged in, no staff flag, no author profile: saves items, reports citations; never gets into the admin."""
    return user_factory(username="reader")


@pytest.fixture
def stranger(user_factory):
    """Another reader: sees none of the reader's saved items, reports or claims, and cannot act on them."""
    return user_factory(username="stranger")


@pytest.fixture
def author(user_factory, person_factory):
    """A reader with an author profile (Ana Autora, `pau1`): edits it, claims works, checks their citations."""
    user = user_factory(username="author")
    person_factory(user=user, short_id="pau1", name_first="Ana", name_last="Autora", email=user.email)
    return user


@pytest.fixture
def publisher_archive(archive_factory):
    """The archive the `publisher` publishes; a test module overrides this fixture to name another."""
    return archive_factory(code="pub", handle="RePEc:pub")


@pytest.fixture
def publisher(user_factory, publisher_archive):
    """Staff flag, no model permission, a publisher of `publisher_archive`: corrects and uploads its records only."""
    return user_factory(username="publisher", is_staff=True, archives=[publisher_archive])


@pytest.fixture
def staff(user_factory):
    """Catalogue staff, a superuser: sees, corrects, uploads and moderates everything."""
    return user_factory(username="staff", is_staff=True, is_superuser=True)


@pytest.fixture
def staff_client(staff) -> Client:
    """A test client logged in as `staff` (in place of pytest-django's `admin_client`)."""
    client = Client()
    client.force_login(staff)
    return client
