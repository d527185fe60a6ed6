"""Who may do what to an organisation or a profile. Found by `rules`'
autodiscovery; ask with `rules.has_perm(perm, user, obj)` (people/services.py
`require`). Membership is read from the database each time: a person removed
from an organisation cannot post for it from a page loaded before."""

import rules

from .models import Membership


@rules.predicate
def is_site_admin(user):
    return bool(user.is_authenticated and user.is_superuser)


@rules.predicate
def is_org_member(user, organisation):
    return bool(
        user.is_authenticated
        and Membership.objects.filter(organisation=organisation, user=user).exists()
    )


@rules.predicate
def is_org_admin(user, organisation):
    return bool(
        user.is_authenticated
        and Membership.objects.filter(organisation=organisation, user=user, is_admin=True).exists()
    )


rules.add_perm("people.post_for_organisation", is_org_member)
rules.add_perm("people.manage_organisation", is_org_admin | is_site_admin)
rules.add_perm("people.view_members", is_org_member | is_site_admin)
rules.add_perm("people.verify_number", is_site_admin)
rules.add_perm("people.reset_display_name", is_site_admin)

# What each refusal says (the first perm that fails is the one reported).
REFUSALS = {
    "people.post_for_organisation": "You can only submit on behalf of an organisation you are a member of.",
    "people.manage_organisation": "Only this organisation's admins can do this.",
    "people.view_members": "Only this organisation's members can see its members.",
    "people.verify_number": "Only site admins can confirm a registered number.",
    "people.reset_display_name": "Only site admins can reset a display name.",
}
