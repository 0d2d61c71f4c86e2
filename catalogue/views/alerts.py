"""A reader's alerts under `/me/alerts/`: subscribe to NEP reports, follow authors, series and
JEL codes, save searches; list them, change how often, remove them (issue 19).

The work is done in catalogue.readers.alerts; these views read the request, check who asks and
answer. Another reader's subscription is a 404, as one that does not exist. Private pages are
never cached.
"""

from django.contrib import messages
from django.core.exceptions import BadRequest
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from ..pages import breadcrumbs
from ..readers import alerts
from .access import MAX_ID, reader_post, reader_required, safe_next


@never_cache
@reader_required
def alert_list(request):
    """The reader's subscriptions by kind, each with its frequency and a remove button."""
    groups = [
        (label, [(sub, *alerts.describe(sub), alerts.frequencies(sub.kind)) for sub in subs])
        for label, subs in alerts.grouped(request.user)
    ]
    context = {
        "groups": groups,
        "limit": alerts.MAX_SUBSCRIPTIONS,
        "breadcrumbs": breadcrumbs.trail(here="My alerts"),
    }
    return render(request, "me/alerts.html", context)


@reader_post("my_alerts")
def subscribe(request):
    """Subscribe to `kind` (nep, author, series, jel, search) and `target` (its code, or the
    search's query string), perhaps at a `frequency`; then back to a safe `next` or the list."""
    kind, code = request.POST.get("kind", ""), request.POST.get("target", "")
    try:
        subscription, created = alerts.subscribe(request.user, kind, code, request.POST.get("frequency", ""))
    except alerts.AlertError as error:
        if str(error).startswith(("kind:", "target:", "search:", "frequency:")):
            raise BadRequest(str(error)) from None
        messages.error(request, str(error))  # the limit: a fact about the reader, not bad input
        return redirect("my_alerts")
    what, _ = alerts.describe(subscription)
    if created:
        messages.success(request, f"Added to your alerts: {what}.")
    else:
        messages.info(request, f"Already in your alerts ({subscription.get_frequency_display().lower()}): {what}.")
    return redirect(safe_next(request) or "my_alerts")


def own_subscription(request, pk: int):
    subscription = alerts.subscription_or_none(request.user, pk) if pk <= MAX_ID else None
    if subscription is None:
        raise Http404(f"You have no alert with the id {pk}.")
    return subscription


@reader_post("my_alerts")
def frequency(request, pk: int):
    subscription = own_subscription(request, pk)
    try:
        alerts.set_frequency(subscription, request.POST.get("frequency", ""))
    except alerts.AlertError as error:
        raise BadRequest(str(error)) from None
    what, _ = alerts.describe(subscription)
    messages.success(request, f"{subscription.get_frequency_display()}: {what}.")
    return redirect("my_alerts")


@reader_post("my_alerts")
def remove(request, pk: int):
    subscription = own_subscription(request, pk)
    what, _ = alerts.describe(subscription)
    subscription.delete()
    messages.success(request, f"Removed from your alerts: {what}.")
    return redirect("my_alerts")
