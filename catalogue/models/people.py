"""Registered authors (RePEc Author Service persons) and what they claim."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from ..handles import normalise_orcid
from .institutions import Institution

ORCID_URL = "https://orcid.org/"


def validate_orcid(value: str) -> None:
    """An ORCID iD as stored: 0000-0000-0000-000X with a right check digit, no address before it."""
    try:
        ok = normalise_orcid(value) == value
    except ValueError as exc:
        raise ValidationError(str(exc), code="invalid") from None
    if not ok:
        raise ValidationError("Write the ORCID iD as 0000-0000-0000-000X, without https://orcid.org/.", code="invalid")


def orcid_field(help_text: str) -> models.CharField:
    """An ORCID iD, stored without https://orcid.org/ ('' when none)."""
    return models.CharField(
        "ORCID iD", max_length=19, blank=True, default="", validators=[validate_orcid], help_text=help_text
    )


class PersonQuerySet(models.QuerySet):
    def in_directory(self, letter: str):
        """The persons whose family name starts with `letter` (a to z, either case), in the
        directory's order, by the directory's index; `_`: those whose name starts otherwise."""
        order = ("name_last", "name_first", "id")
        if letter != "_":
            ranges = [(letter.upper(), chr(ord(letter.upper()) + 1)), (letter.lower(), chr(ord(letter.lower()) + 1))]
            found = models.Q()
            for start, end in ranges:
                found |= models.Q(name_last__gte=start, name_last__lt=end)
            return self.filter(found).order_by(*order)
        others = models.Q()
        for start, end in (("A", "["), ("a", "{")):
            others |= models.Q(name_last__gte=start, name_last__lt=end)
        return self.exclude(others).order_by(*order)


class Person(models.Model):
    """A registered author, known by a permanent short-id such as `phe123`."""

    short_id = models.CharField(max_length=20, unique=True)
    handle = models.CharField(max_length=250, blank=True, help_text="RePEc:per:1965-06-05:thomas_krichel")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="person"
    )
    name_full = models.CharField(max_length=255)
    name_first = models.CharField(max_length=255, blank=True)
    name_middle = models.CharField(max_length=255, blank=True)
    name_last = models.CharField(max_length=255, blank=True)
    name_variants = models.JSONField(default=list, blank=True, help_text="Other spellings of the name")
    email = models.EmailField(max_length=254, blank=True)
    homepage = models.URLField(max_length=2000, blank=True)
    orcid = orcid_field(help_text="0000-0002-1825-0097: from the profile, a login with ORCID, or ReDIF's Orcid")
    monthly_report = models.BooleanField(
        default=True, help_text="Its registered user gets the monthly author report by e-mail (they may turn it off)"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name_last", "name_first"]
        indexes = [
            # the handle a ReDIF Author-Person field may name
            models.Index(fields=["handle"], name="person_handle"),
            # the authors' directory, A to Z (catalogue.views.authors.AuthorIndexView)
            models.Index(fields=["name_last", "name_first", "id"], name="person_directory"),
        ]
        constraints = [
            # one person an iD; many without one
            models.UniqueConstraint(fields=["orcid"], condition=~models.Q(orcid=""), name="person_unique_orcid"),
        ]

    def __str__(self) -> str:
        return self.name_full

    def get_absolute_url(self) -> str:
        return reverse("person", kwargs={"short_id": self.short_id})

    @property
    def orcid_url(self) -> str:
        return ORCID_URL + self.orcid if self.orcid else ""


class Affiliation(models.Model):
    """Where a person works, with a share (RePEc's Workplace-Share) that adds up to 100: a name
    as written, and the EDIRC institution when one is named (`institution`, the handle) and
    imported (`institution_ref`)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="affiliations")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=500)
    institution = models.CharField(
        max_length=100, blank=True, help_text="EDIRC handle as given: RePEc:edi:izaaade (kept before it is imported)"
    )
    institution_ref = models.ForeignKey(
        Institution,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="affiliations",
        help_text="The imported institution the handle names (linked after each import)",
    )
    share = models.PositiveSmallIntegerField(null=True, blank=True)
    # copies of the person's names, kept with the institutions' lists of works
    # (catalogue.browse.institutions), so that an institution's authors by name are a range of
    # one index rather than a sort of all its affiliations (6,690 for the largest: 40 ms)
    sort_last = models.CharField(max_length=255, blank=True, help_text="The person's last name (a copy, for order)")
    sort_first = models.CharField(max_length=255, blank=True, help_text="The person's first name (a copy)")

    class Meta:
        ordering = ["person_id", "position"]
        indexes = [
            # /i/<code>.html and /i/<code>/authors.html: an institution's authors by name
            models.Index(
                fields=["institution_ref", "sort_last", "sort_first", "person", "position"], name="affiliation_by_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Claim(models.Model):
    """A person's claim on an item, by handle: kept even before the item is imported."""

    class Status(models.TextChoices):
        ACCEPTED = "accepted", "Accepted"
        REFUSED = "refused", "Refused"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="claims")
    handle_key = models.CharField(max_length=250, help_text="The claimed item's handle, lower case")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACCEPTED)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["person_id", "handle_key"]
        constraints = [
            models.UniqueConstraint(fields=["person", "handle_key"], name="claim_unique"),
        ]
        indexes = [
            # linking an imported item to the persons who claimed it
            models.Index(fields=["handle_key"], name="claim_handle_key"),
        ]

    def __str__(self) -> str:
        return f"{self.person.short_id} claims {self.handle_key}"
