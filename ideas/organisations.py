"""Who an idea may be submitted for, in a call: the one place the call's
eligibility meets people's organisations. Membership itself is people's rule
(`people.post_for_organisation`); the call decides whether organisations,
citizens or both may submit, and which kinds of organisation (its sectors)."""

from django.db.models.signals import post_save
from django.utils import timezone

from consult.models import Sector
from inputs.refusals import Refused, require
from people.choices import OrganisationType
from people.models import Organisation

from .models import Idea
from .search_documents import idea_changed_on_commit
from .validation import parse_id

# The call's sectors (consult.Sector, chosen by the mission team) and the
# organisation types people register with: several types share a sector.
SECTOR_OF_TYPE = {
    OrganisationType.CENTRAL_GOVERNMENT: "public-body",
    OrganisationType.LOCAL_GOVERNMENT: "public-body",
    OrganisationType.PUBLIC_BODY: "public-body",
    OrganisationType.BUSINESS: "business",
    OrganisationType.CHARITY: "charity",
    OrganisationType.ACADEMIC: "academia",
    OrganisationType.COMMUNITY: "community-group",
}


# What an organisations-only call says when no organisation is chosen (the
# form says it before sending, ideas/forms.py; the service for every caller).
CHOOSE_ONE = "This call is open to organisations only: choose the organisation you submit for."
MEMBER_OF_NONE = ("This call is open to organisations only, and you are not a member of any organisation yet. "
                  "Add your organisation, or ask its admin to invite you.")
NONE_OF_THESE_KINDS = ("This call is open to {kinds} only, and none of your organisations is of these kinds. "
                       "Add your organisation, or ask its admin to invite you.")


def organisations_only(call):
    return call.eligibility == "organisations"


def citizens_only(call):
    return call.eligibility == "citizens"


def allowed_types(call, sectors=None):
    """The organisation types the call accepts (all when it names no sector)."""
    slugs = {s.slug for s in (call.sectors.all() if sectors is None else sectors)}
    if not slugs:
        return list(OrganisationType)
    return [t for t in OrganisationType if SECTOR_OF_TYPE[t] in slugs]


def _in_sentence(label):
    """'Business' -> 'business', but 'NHS or other public body' keeps its capitals."""
    return label if label[:2].isupper() else label[0].lower() + label[1:]


def kinds_in_words(call, sectors=None):
    """The organisation types the call accepts, named as people name their
    organisation's type (people/choices.py OrganisationType): one
    vocabulary for the call page, its form and the organisation's own."""
    kinds = allowed_types(call, sectors)
    if len(kinds) == len(OrganisationType):
        return "organisations of any kind"
    return "organisations of these kinds: " + ", ".join(_in_sentence(str(k.label)) for k in kinds)


def who_takes_part(call, sectors=None):
    """"Who can take part" on the call page, in the same words."""
    if citizens_only(call):
        return "Individuals"
    kinds = kinds_in_words(call, sectors)
    if organisations_only(call):
        return kinds[0].upper() + kinds[1:]
    return f"Individuals and {kinds}"


def eligible_organisations(call, organisations, sectors=None):
    """Those of `organisations` the call accepts an idea for (none in a call
    for individuals)."""
    if citizens_only(call):
        return []
    allowed = set(allowed_types(call, sectors))
    return [o for o in organisations if o.type in allowed]


def organisation_needed(call, organisations, sectors=None):
    """What a signed-in person with these organisations is told at the start
    (on the call page and before the submit form) when the call is open to
    organisations only and none of theirs may submit; None when one may (or
    the call is open to individuals too)."""
    if not organisations_only(call):
        return None
    if not organisations:
        return MEMBER_OF_NONE
    if not eligible_organisations(call, organisations, sectors):
        return NONE_OF_THESE_KINDS.format(kinds=kinds_in_words(call, sectors))
    return None


def who_may_submit(call, sectors=None):
    """A sentence for the call page, read before anyone signs in."""
    if citizens_only(call):
        return "This call is open to individuals. Submit ideas as yourself."
    kinds_text = kinds_in_words(call, sectors)
    if organisations_only(call):
        return (f"This call is open to {kinds_text} only. You submit on behalf of an organisation you are a "
                "member of; add your organisation or ask its admin to invite you before you start.")
    return f"Individuals and {kinds_text} may submit ideas."


def organisation_for(user, call, organisation_id):
    """The organisation the idea is submitted for (None: as themselves), or
    an Refused on the `organisation` field saying what is wrong."""
    if organisation_id in (None, "", "0", 0):
        if organisations_only(call):
            has_any = user.is_authenticated and Organisation.objects.filter(memberships__user=user).exists()
            raise Refused(CHOOSE_ONE if has_any else MEMBER_OF_NONE, field="organisation", code="required")
        return None
    if citizens_only(call):
        raise Refused("This call is open to individuals only: submit as yourself.", field="organisation",
                          code="ineligible")
    pk = parse_id(str(organisation_id))
    organisation = Organisation.objects.filter(pk=pk).first() if pk is not None else None
    if organisation is None:
        raise Refused("Choose an organisation from the list.", field="organisation", code="invalid_choice")
    require(user, "people.post_for_organisation", organisation, field="organisation")
    if organisation.type not in allowed_types(call):
        raise Refused(f"This call is not open to organisations of the kind “{organisation.get_type_display()}”.",
                          field="organisation", code="ineligible")
    return organisation


def sector_of(organisation):
    if organisation is None:
        return None
    return Sector.objects.filter(slug=SECTOR_OF_TYPE.get(organisation.type)).first()


def may_post_anonymously(call):
    return bool(call.allow_anonymous)


# An organisation's page lists its ideas beside its members (and a person's
# profile lists their organisations): an idea "by A participant" for an
# organisation of one or two members names its author. So an idea is either
# without a name or for an organisation, never both.
ANONYMOUS_FOR_ORGANISATION = (
    "You cannot post without your name on behalf of an organisation: its page shows its members, so people "
    "could tell it was you. Submit for the organisation with your name, or as yourself without it."
)


def anonymous_choice(call, anonymous, on_behalf_of=None):
    if anonymous and not may_post_anonymously(call):
        raise Refused("This call does not allow posting without your name.", field="anonymous", code="not_allowed")
    if anonymous and on_behalf_of is not None:
        raise Refused(ANONYMOUS_FOR_ORGANISATION, field="anonymous", code="anonymous_for_organisation")
    return bool(anonymous)



def _organisation_saved(sender, instance, created=False, raw=False, **kwargs):
    """A renamed organisation's ideas carry its new name. The name is stored
    on each idea (the call page's cards, search, the API and the CSV read
    it) while the idea page links the record: without this, a rename showed
    one name on the idea page and the old one everywhere else. One query
    when the name is unchanged; the ideas are re-indexed after the commit
    (the page cache's site generation moves on any organisation save,
    cms/pagecache.py)."""
    if created or raw:
        return

    stale = Idea.objects.filter(on_behalf_of_id=instance.pk).exclude(organisation=instance.name)
    ids = list(stale.values_list("pk", flat=True))
    if not ids:
        return
    # `updated_at` moves so the open data's "updated since" hands the new name on.
    Idea.objects.filter(on_behalf_of_id=instance.pk, pk__in=ids).update(organisation=instance.name,
                                                                       updated_at=timezone.now())
    for pk in ids:
        idea_changed_on_commit(pk, comments=False)


def connect():
    """From ideas/apps.py."""
    post_save.connect(_organisation_saved, sender=Organisation, dispatch_uid="ideas.organisation_renamed")
