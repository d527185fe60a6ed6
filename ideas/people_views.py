"""Pages about people and organisations that list ideas, so they live in
ideas (above people): a person's public profile, an organisation's page and
one's own activity."""

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from inputs.refusals import can
from people import selectors as people_selectors
from people.forms import ResetNameForm
from people.models import Organisation

from . import activity

PROFILE_TABS = {"ideas": "Ideas", "comments": "Comments"}
ACTIVITY_TABS = {"ideas": "My ideas", "comments": "My comments", "votes": "My votes", "following": "What I follow"}


def _tab(request, tabs):
    tab = request.GET.get("show") or next(iter(tabs))
    return tab if tab in tabs else next(iter(tabs))


def profile(request, user_id):
    person = get_object_or_404(get_user_model().objects.select_related("profile"), pk=user_id, is_active=True)
    profile = getattr(person, "profile", None)
    if profile is None or profile.deleted_at is not None:
        raise Http404("No such person.")
    tab = _tab(request, PROFILE_TABS)
    page = (activity.public_ideas_by if tab == "ideas" else activity.public_comments_by)(person.pk, request.GET.get("page"))
    return render(request, "people/profile.html", {
        "person": person, "profile": profile, "tab": tab, "tabs": PROFILE_TABS, "page_obj": page,
        "counts": activity.counts_for_profile(person.pk),
        "memberships": people_selectors.memberships_of(person),
        "can_reset": can(request.user, "people.reset_display_name"),
        "reset_form": ResetNameForm(),
    })


def organisation(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug)
    page = activity.public_ideas_for(organisation.pk, request.GET.get("page"))
    return render(request, "people/organisation.html", {
        "organisation": organisation, "page_obj": page,
        "member_count": organisation.memberships.count(),
        "is_member": can(request.user, "people.view_members", organisation),
        "is_admin": can(request.user, "people.manage_organisation", organisation),
        "can_verify": can(request.user, "people.verify_number"),
    })


@login_required
def my_activity(request):
    tab = _tab(request, ACTIVITY_TABS)
    reader = {"ideas": activity.my_ideas, "comments": activity.my_comments, "votes": activity.my_votes,
              "following": activity.my_follows}[tab]
    return render(request, "people/activity.html", {
        "tab": tab, "tabs": ACTIVITY_TABS, "page_obj": reader(request.user, request.GET.get("page")),
    })
