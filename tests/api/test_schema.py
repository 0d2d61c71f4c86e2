"""The API fuzzed against its own OpenAPI schema with schemathesis, in process (WSGI): whatever
the parameters (valid or not), no 5xx, and every answer has a documented status, content type
and body. A modest number of examples per operation, so that `make test` stays fast."""

from __future__ import annotations

import json

import pytest
import schemathesis
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from catalogue.api.app import api

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def load_schema() -> schemathesis.schemas.BaseSchema:
    """The schema /api/v1/openapi.json serves, with the WSGI application to call. Loaded at import
    (schemathesis.pytest.from_fixture fails under pytest 9: it reads a private attribute)."""
    document = json.loads(json.dumps(api.get_openapi_schema(), cls=DjangoJSONEncoder))
    loaded = schemathesis.openapi.from_dict(document)
    loaded.app = get_wsgi_application()
    return loaded


schema = load_schema()


@pytest.fixture
def in_test_transaction():
    """Keep the test's connection across the WSGI requests, as Django's test client does: a real
    WSGI request closes connections at its start and end, and the test's transaction with it."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_every_operation_answers_as_its_schema_says(case, demo, in_test_transaction):
    case.call_and_validate(checks=CHECKS)


def test_the_schema_documents_every_operation(client):
    document = client.get("/api/v1/openapi.json").json()
    assert set(document["paths"]) == {
        "/api/v1/search", "/api/v1/items/{handle}", "/api/v1/archives", "/api/v1/archives/{archive}",
        "/api/v1/series/{archive}/{series}", "/api/v1/authors", "/api/v1/authors/{short_id}", "/api/v1/jel",
        "/api/v1/jel/{code}", "/api/v1/nep", "/api/v1/nep/{code}", "/api/v1/nep/{code}/{date}",
        "/api/v1/institutions", "/api/v1/institutions/countries", "/api/v1/institutions/{code}",
    }  # fmt: skip
    for path, operations in document["paths"].items():
        assert set(operations["get"]["responses"]) >= {"200", "400", "404", "429"}, path
    search = {p["name"] for p in document["paths"]["/api/v1/search"]["get"]["parameters"]}
    from catalogue.search.filters import SearchFilter

    assert set(SearchFilter.base_filters) | {"cursor"} == search  # the search page's filters, all of them
