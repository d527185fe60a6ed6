"""Who may open the Wagtail admin: Django's own permission
(`wagtailadmin.access_admin`, given to the mission roles' groups by
consult/roles.py, and to superusers by Django), asked as a `rules` permission
so that the admin gate (cms/admin_access.py) and the header's "Admin" link
ask it like every other permission, with `can(user, "cms.use_admin")`."""

import rules

from inputs.refusals import SIGNED_IN, only, refuse

ADMIN_PERMISSION = "wagtailadmin.access_admin"


@rules.predicate
def has_admin_access(user):
    """Here, and only here, Django's answer is the rule: the permission is
    stored in its tables, and it waves superusers through on purpose."""
    return bool(user.is_authenticated and user.has_perm(ADMIN_PERMISSION))


rules.add_perm("cms.use_admin", has_admin_access)
refuse("cms.use_admin", SIGNED_IN, only(has_admin_access, "Only the site's editors and mission teams use the admin."))
