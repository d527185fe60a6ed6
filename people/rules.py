"""Who may do what to an organisation or a profile. Found by `rules`'
autodiscovery; ask with `can(user, perm, obj)`; services refuse with
`require(user, perm, obj)` (inputs/refusals.py), whose reasons are declared
here beside each permission. Membership is read from the database each time: a person removed
from an organisation cannot post for it from a page loaded before."""

import rules

from inputs.refusals import SIGNED_IN, only, refuse

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


may_manage = is_org_admin | is_site_admin
may_view_members = is_org_member | is_site_admin

rules.add_perm("people.post_for_organisation", is_org_member)
refuse("people.post_for_organisation", SIGNED_IN,
       only(is_org_member, "You can only submit on behalf of an organisation you are a member of.", code="not_member"))
rules.add_perm("people.manage_organisation", may_manage)
refuse("people.manage_organisation", SIGNED_IN, only(may_manage, "Only this organisation's admins can do this."))
rules.add_perm("people.view_members", may_view_members)
refuse("people.view_members", SIGNED_IN,
       only(may_view_members, "Only this organisation's members can see its members."))
rules.add_perm("people.verify_number", is_site_admin)
refuse("people.verify_number", SIGNED_IN, only(is_site_admin, "Only site admins can confirm a registered number."))
rules.add_perm("people.reset_display_name", is_site_admin)
refuse("people.reset_display_name", SIGNED_IN, only(is_site_admin, "Only site admins can reset a display name."))
