"""What a signed-in person's header shows beyond their name: whether they
moderate anything (the "Moderation" link), whether they may use the admin
("Admin"), and their unread notifications (the badge, with its live topic).

Every signed-in page shows it, and it cost four queries a page (the
moderated missions, the person's and their groups' permissions, the unread
count). It changes rarely, so it is kept per person in the shared cache
(live/fragments.py) and is served while two numbers stand: the person's
live topic, which every new notification and every "read" moves
(notifications/services.py publishes the new count there), and the site
generation, which a change of anyone's roles or permissions moves
(`connect_signals`, below: memberships, groups, a group's or a person's
permissions, a person made or unmade a superuser or staff). Missions
published or unpublished move it already (cms/pagecache.py).

What it shows is only navigation: the admin and the moderation queues
check every request on the server, whatever a header said."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.functional import SimpleLazyObject

from consult.models import MissionMembership
from inputs.refusals import can
from live import fragments
from live.topics import user_topic
from moderation.selectors import moderated_missions
from notifications.selectors import unread_count


def state(user):
    """{moderates, admin, unread, topic, since} for a signed-in person."""
    topic = user_topic(user.pk)

    def render():
        return "", {
            "moderates": moderated_missions(user).exists(),
            "admin": can(user, "cms.use_admin"),
            "unread": unread_count(user.pk),
        }

    _html, data, numbers, _hit = fragments.shared("header", (user.pk,), [topic], render)
    return {**data, "topic": topic, "since": f"{topic}={numbers[topic]}"}


def context(request):
    """The context processor: `header`, read only when a page shows it."""
    user = getattr(request, "user", None)

    def read():
        return state(user) if user is not None and user.is_authenticated else {}

    return {"header": SimpleLazyObject(read)}


# --- what moves the site generation -------------------------------------------------


def _roles_changed(**kwargs):
    transaction.on_commit(fragments.bump_site)


def _user_saved(sender, instance, created=False, update_fields=None, **kwargs):
    """A person's own flags decide their admin access; a sign-in (which
    saves last_login alone) and a new account change no one's header."""
    if created or (update_fields is not None and set(update_fields) <= {"last_login"}):
        return
    transaction.on_commit(fragments.bump_site)


def connect_signals():
    """Called from cms/apps.py."""
    User = get_user_model()
    post_save.connect(_roles_changed, sender=MissionMembership, dispatch_uid="header_membership_saved")
    post_delete.connect(_roles_changed, sender=MissionMembership, dispatch_uid="header_membership_deleted")
    m2m_changed.connect(_roles_changed, sender=User.groups.through, dispatch_uid="header_user_groups")
    m2m_changed.connect(_roles_changed, sender=User.user_permissions.through, dispatch_uid="header_user_permissions")
    m2m_changed.connect(_roles_changed, sender=Group.permissions.through, dispatch_uid="header_group_permissions")
    post_save.connect(_user_saved, sender=User, dispatch_uid="header_user_saved")
