"""The author service, for the logged-in owner of a profile only: the account page, the
profile, claiming works and deciding on uncertain citations.

Every view acts on `request.user`'s own profile, found from the user, never from the request's
parameters; ids posted are checked against that profile by the functions called.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import BadRequest
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ..authors import claiming, pending
from ..authors import versions as work_versions
from ..authors.forms import AffiliationFormSet, ClaimSearchForm, ProfileForm
from ..authors.profiles import adopt_person, adoptable_persons, create_person, verified_orcid
from ..browse.paging import pager
from ..formatting.citation import listed
from ..models import Claim, Person, ordered_authorships
from ..readers import orcid
from .access import author_required, item_or_404, person_for, posted_id, posted_ids, reader_required

PENDING_PAGE = 50


@reader_required
def account(request):
    person = person_for(request)
    context = {"person": person}
    if person is not None:
        context.update(
            works=claiming.claimed_items(person).count(),
            refused=Claim.objects.filter(person=person, status=Claim.Status.REFUSED).count(),
            waiting=pending.pending_citations(person).count(),
        )
    return render(request, "me/account.html", context)


@reader_required
def profile(request):
    person = person_for(request)
    creating = person is None
    # a new profile starts with the ORCID iD the reader logged in with, if any (ORCID verified it),
    # and the name on their account (which a sign-up with ORCID takes from the ORCID record)
    user = request.user
    connected = verified_orcid(user)  # "" when no ORCID record is connected to the account
    initial = {"orcid": connected, "name_first": user.first_name, "name_last": user.last_name}
    form = ProfileForm(request.POST or None, instance=person, initial=initial if creating else None)
    affiliations = AffiliationFormSet(request.POST or None, instance=person or Person(), prefix="affiliations")
    if request.method == "POST" and form.is_valid() and affiliations.is_valid():
        with transaction.atomic():
            person = form.save(commit=False)
            if creating:
                create_person(request.user, person)
            else:
                person.save()
            affiliations.instance = person
            affiliations.save(commit=False)
            for gone in affiliations.deleted_objects:
                gone.delete()
            kept = [f.instance for f in affiliations.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
            for n, affiliation in enumerate(kept):
                affiliation.person, affiliation.position = person, n
                affiliation.save()
        messages.success(
            request,
            f"Your profile {person.short_id} is created: now claim your works."
            if creating
            else "Your profile is saved.",
        )
        return redirect("my_works" if creating else "my_account")
    adoptable = list(adoptable_persons(request.user)) if creating else []
    context = {
        "form": form,
        "affiliations": affiliations,
        "creating": creating,
        "adoptable": adoptable,
        "orcid_login": orcid.enabled(),
        "orcid_connected": connected,
    }
    return orcid.let_forms_go_to_orcid(render(request, "me/profile.html", context))  # "Connect my ORCID record"


@require_POST
@reader_required
def adopt(request):
    """Take over a registered author's profile imported from RePEc whose e-mail address the user confirmed."""
    person = adopt_person(request.user, posted_id(request, "person", "Say which profile is yours.", "a profile id"))
    if person is None:
        raise Http404("There is no profile with your confirmed e-mail address to take over.")
    messages.success(request, f"The profile {person.short_id} is yours: its works and citations are in your account.")
    return redirect("my_account")


@author_required
def works(request, person):
    search = ClaimSearchForm(request.GET or None)
    found = claiming.search_items(search.cleaned_data["q"]) if search.is_valid() else []
    claimed = list(claiming.claimed_items(person))
    mine = {item.pk for item in claimed}
    context = {
        "person": person,
        "claimed": listed(claimed),
        "suggestions": claiming.suggestions(person),
        "versions": work_versions.proposals(person),
        "refused": listed(claiming.refused_items(person)),
        "search": search,
        "found": [(item, item.pk in mine) for item in found],
    }
    return render(request, "me/works.html", context)


@require_POST
@author_required
def claim(request, person):
    authorship = posted_id(request, "authorship", "Say which author on the item you are.", "an authorship id")
    try:
        item = claiming.claim(person, authorship)
    except claiming.ClaimError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Claimed: {item.title}")
    return redirect("my_works")


@require_POST
@author_required
def refuse(request, person):
    item = item_or_404(posted_id(request, "item", "Say which item is not yours.", "an item id"))
    claiming.refuse(person, item)
    messages.success(request, f"Not yours, and no longer suggested: {item.title}")
    return redirect("my_works")


@require_POST
@author_required
def versions(request, person):
    """Two of the person's works are versions of one work (`same=yes`: their citations count once) or not."""
    item = posted_id(request, "item", "Say which work.", "an item id")
    other = posted_id(request, "other", "Say which other work.", "an item id")
    same = request.POST.get("same", "")
    if same not in ("yes", "no"):
        raise BadRequest("Say whether the two works are versions of one work: same=yes or same=no.")
    try:
        first, second = work_versions.decide(person, item, other, confirmed=same == "yes")
    except work_versions.VersionError as error:
        messages.error(request, str(error))
    else:
        if same == "yes":
            messages.success(request, f"One work, its citations counted once: {first.title} and {second.title}")
        else:
            messages.success(request, f"Two works, no longer proposed as versions: {first.title} and {second.title}")
    return redirect(reverse("my_works") + "#versions")


@require_POST
@author_required
def undo_refusal(request, person):
    item = item_or_404(posted_id(request, "item", "Say which refusal to undo.", "an item id"))
    if claiming.undo_refusal(person, item):
        messages.success(request, f"It may be suggested again: {item.title}")
    return redirect("my_works")


@author_required
def citations(request, person):
    page = Paginator(pending.pending_citations(person), PENDING_PAGE).get_page(request.GET.get("page"))
    references = list(page.object_list)
    items = list({r.citing_id: r.citing for r in references}.values())
    prefetch_related_objects(items, ordered_authorships())
    citing = {entry.item.pk: entry for entry in listed(items)}
    rows = [(ref, citing[ref.citing_id]) for ref in references]
    pages = pager(page, reverse("pending_citations"), "citation", "citations")
    return render(request, "me/citations.html", {"person": person, "pager": pages, "rows": rows})


@require_POST
@author_required
def decide(request, person):
    ids = posted_ids(request, "ids", "a citation id")
    action = request.POST.get("action")
    if action not in ("confirm", "reject"):
        raise BadRequest("Choose citations, then confirm or reject them.")
    if not ids:
        messages.error(request, "Select some citations first.")
        return redirect("pending_citations")
    done = pending.decide(person, request.user, ids, confirm=action == "confirm")
    verb = "Confirmed" if action == "confirm" else "Rejected"
    messages.success(request, f"{verb} {done} citation{'s' if done != 1 else ''}.")
    return redirect("pending_citations")
