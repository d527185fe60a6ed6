"""Mission roles mirrored into Wagtail's page permissions.

A mission team edits its own mission (and its calls) in the Wagtail admin,
and nothing else: each mission gets a group with add/change/publish on its
own subtree. Every team member may also start a new mission (add on the
missions index); creating one makes them its team. Rule checks outside the
admin use consult/rules.py; this module only keeps Wagtail in step."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import GroupPagePermission

from .models import MissionIndexPage, MissionMembership, MissionPage
from .rules import is_site_admin

CREATORS_GROUP = "Mission teams"
MISSION_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")


def _page_permission(codename):
    return Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)


def _admin_access():
    return Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")


def mission_group_name(mission_id):
    return f"Mission team #{mission_id}"


def creators_group():
    group, created = Group.objects.get_or_create(name=CREATORS_GROUP)
    if created or not group.permissions.exists():
        group.permissions.add(_admin_access())
    index = MissionIndexPage.objects.first()
    if index is not None:
        GroupPagePermission.objects.get_or_create(group=group, page=index, permission=_page_permission("add_page"))
    return group


def mission_group(mission):
    group, created = Group.objects.get_or_create(name=mission_group_name(mission.pk))
    if created:
        group.permissions.add(_admin_access())
        for codename in MISSION_PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(group=group, page=mission, permission=_page_permission(codename))
    return group


def sync_user(user, mission):
    """Put the user in (or out of) the mission's Wagtail group."""
    is_team = MissionMembership.objects.filter(user=user, mission=mission, role=MissionMembership.ROLE_TEAM).exists()
    group = mission_group(mission)
    if is_team:
        user.groups.add(group, creators_group())
    else:
        user.groups.remove(group)
        if not MissionMembership.objects.filter(user=user, role=MissionMembership.ROLE_TEAM).exists():
            user.groups.remove(creators_group())


@receiver(post_save, sender=MissionMembership)
@receiver(post_delete, sender=MissionMembership)
def _membership_changed(sender, instance, **kwargs):
    mission_id, user = instance.mission_id, instance.user

    def sync():
        mission = MissionPage.objects.filter(pk=mission_id).first()
        if mission is not None:
            sync_user(user, mission)

    transaction.on_commit(sync)


def make_creator_the_team(user, mission):
    """Whoever creates a mission in the admin becomes its team member; a
    site admin manages every mission already (consult/rules.py)."""
    if is_site_admin.test(user):
        return
    MissionMembership.objects.get_or_create(user=user, mission=mission, role=MissionMembership.ROLE_TEAM)
    sync_user(user, mission)
