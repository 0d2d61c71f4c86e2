"""The API object: its routers, its documents (/api/v1/openapi.json, the docs page at
/api/v1/docs from ninja's own static files) and the shape of every error."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from . import authors, browse, institutions, items, search, subjects
from .cursors import Invalid

DESCRIPTION = """Read-only JSON over the catalogue: search, items by handle, series, archives,
registered authors, institutions (EDIRC), JEL codes and NEP reports. Lists are paged with cursors: follow `next`
(or pass `next_cursor` as `cursor`) until it is null. Anonymous use is limited per client
address (429 with Retry-After). Any origin may read it from a browser (CORS, GET)."""

api = NinjaAPI(
    title="EconCat API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
for module in (search, items, browse, authors, institutions, subjects):
    api.add_router("/", module.router)


def error(request: HttpRequest, status: int, detail: str, errors: dict[str, list[str]] | None = None) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "errors": errors or {}}, status=status)


@api.exception_handler(Invalid)
def invalid(request: HttpRequest, exc: Invalid) -> HttpResponse:
    return error(request, 400, f"Bad request: {exc}", exc.errors)


@api.exception_handler(ValidationError)
def not_valid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """ninja's checks of the parameters' types and bounds: a 400 naming each parameter."""
    errors: dict[str, list[str]] = {}
    for problem in exc.errors:
        location = [str(part) for part in problem.get("loc", ()) if part not in ("query", "path")]
        errors.setdefault(location[0] if location else "request", []).append(str(problem.get("msg", "invalid")))
    detail = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in errors.items())
    return error(request, 400, f"Bad request: {detail}", errors)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error(request, 404, str(exc) or "Not found.")


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return error(request, exc.status_code, str(exc))
