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
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from ..alerts import unsubscribe as links
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
        "bounce": alerts.bounce(request.user),
        "recent": alerts.recent_mail(request.user),
        "person": alerts.report_person(request.user.pk),
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


@reader_post("my_alerts")
def address_works(request):
    """The reader's address bounced once and works again: mail to it resumes."""
    if alerts.address_works(request.user):
        messages.success(request, f"Mail to {request.user.email} resumes with your next alerts.")
    return redirect("my_alerts")


@reader_post("my_alerts")
def report(request):
    """Turn the monthly author report on (`on=1`) or off (`on=0`)."""
    wanted = request.POST.get("on", "")
    if wanted not in ("0", "1"):
        raise BadRequest("on: say 1 to get the monthly report, 0 to stop it.")
    person = alerts.set_report(request.user, wanted == "1")
    if person is None:
        raise BadRequest("You have no author profile, so there is no monthly report to change.")
    messages.success(
        request, "You will get the monthly author report." if wanted == "1" else "No more monthly reports."
    )
    return redirect("my_alerts")


@csrf_exempt  # the signed token is the authority: mail clients POST here without a session (RFC 8058)
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token: str):
    """`/alerts/unsubscribe/<token>/`, the link in every message and its List-Unsubscribe header.
    GET shows what it stops, with a button; POST (the button, or a mail client's one-click
    `List-Unsubscribe=One-Click`) stops it. No login; an altered or forged token is a 400."""
    stop = links.read(token)
    if stop is None:
        raise BadRequest("This unsubscribe link is not valid: it may have been cut or changed. Nothing was changed.")
    context: dict = {"token": token, "breadcrumbs": breadcrumbs.trail(here="Unsubscribe")}
    if request.method == "POST":
        context.update(done=True, stopped=alerts.unsubscribe(stop.user, stop.subscriptions, stop.report))
    else:
        context["found"] = alerts.stopped_in_words(*alerts.stopping(stop.user, stop.subscriptions, stop.report))
    return render(request, "me/unsubscribe.html", context)
