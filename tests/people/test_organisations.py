"""Organisations, their members and invitations, through the services:
who may do what, and bad input that leaves nothing half-created."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.utils import timezone

from people import services
from inputs.refusals import Refused
from people.models import Invitation, Membership, Organisation

from ..factories import OrganisationFactory, UserFactory

GOOD = {"name": "Northmoor Heat Co-operative", "type": "community", "size": "micro", "region": "wales"}


@pytest.mark.django_db
def test_the_creator_is_the_first_admin(user):
    org = services.create_organisation(user, **GOOD, number_kind="company", registered_number="sc 123456")
    assert (org.slug, org.registered_number, org.number_verified) == ("northmoor-heat-co-operative", "SC123456", False)
    assert Membership.objects.get(organisation=org).user == user
    assert Membership.objects.get(organisation=org).is_admin


@pytest.mark.django_db
@pytest.mark.parametrize("change, field", [
    ({"name": ""}, "name"), ({"type": "pirates"}, "type"), ({"size": ""}, "size"), ({"region": "mars"}, "region"),
    ({"number_kind": "company", "registered_number": "12"}, "registered_number"),
])
def test_bad_details_store_nothing(user, change, field):
    with pytest.raises(Refused) as exc:
        services.create_organisation(user, **{**GOOD, **change})
    assert exc.value.field == field
    assert not Organisation.objects.exists() and not Membership.objects.exists()


@pytest.mark.django_db
def test_a_confirmed_registered_number_belongs_to_one_organisation(user, other_user, admin_user):
    genuine = services.create_organisation(user, **GOOD, number_kind="charity", registered_number="1123456")
    services.verify_number(admin_user, genuine)
    with pytest.raises(Refused) as exc:
        services.create_organisation(other_user, **{**GOOD, "name": "Copycat"}, number_kind="charity",
                                     registered_number="1123456")
    assert exc.value.code == "taken" and "invite you" in exc.value.message
    assert Organisation.objects.count() == 1 and Membership.objects.count() == 1
    theirs = services.create_organisation(other_user, **{**GOOD, "name": "Copycat"})
    with pytest.raises(Refused) as exc:
        services.update_organisation(other_user, theirs, **{**GOOD, "name": "Copycat"}, number_kind="charity",
                                     registered_number="1123456")
    assert exc.value.code == "taken"
    theirs.refresh_from_db()
    assert theirs.registered_number == ""


@pytest.mark.django_db
def test_an_unverified_claim_cannot_keep_the_genuine_organisation_out(user, other_user, admin_user):
    """A squatter registers a company's number first: it stays unverified,
    the genuine company still registers with it and is confirmed, and the
    squatter's claim can then never be confirmed."""
    squatter = services.create_organisation(other_user, **{**GOOD, "name": "Squatter"}, number_kind="company",
                                            registered_number="01234567")
    genuine = services.create_organisation(user, **GOOD, number_kind="company", registered_number="01234567")
    assert not squatter.number_verified and not genuine.number_verified
    assert services.verify_number(admin_user, genuine).number_verified
    with pytest.raises(Refused) as exc:
        services.verify_number(admin_user, squatter)
    assert exc.value.status == 409 and GOOD["name"] in exc.value.message
    squatter.refresh_from_db()
    assert not squatter.number_verified


@pytest.mark.django_db
def test_slugs_never_take_a_page_address(user):
    assert services.create_organisation(user, **{**GOOD, "name": "New"}).slug == "new-2"
    assert services.create_organisation(user, **{**GOOD, "name": "New"}).slug == "new-3"


@pytest.mark.django_db
def test_only_site_admins_confirm_a_number_and_a_new_number_is_unverified_again(user, admin_user):
    org = services.create_organisation(user, **GOOD, number_kind="company", registered_number="01234567")
    with pytest.raises(Refused) as exc:
        services.verify_number(user, org)
    assert exc.value.status == 403
    assert services.verify_number(admin_user, org).number_verified
    services.update_organisation(user, org, **GOOD, number_kind="company", registered_number="07654321")
    org.refresh_from_db()
    assert not org.number_verified
    services.update_organisation(user, org, **{**GOOD, "name": "Renamed"}, number_kind="company",
                                 registered_number="07654321")
    assert Organisation.objects.get().name == "Renamed"


@pytest.mark.django_db
def test_members_cannot_manage(user, other_user):
    org = OrganisationFactory(admin=user, members=[other_user])
    for attempt in (lambda: services.invite(other_user, org, "x@example.org"),
                    lambda: services.update_organisation(other_user, org, **GOOD),
                    lambda: services.remove_member(other_user, org, user)):
        with pytest.raises(Refused) as exc:
            attempt()
        assert exc.value.status == 403
    assert Invitation.objects.count() == 0 and Membership.objects.count() == 2


def _verified(email):
    person = UserFactory(email=email, username=email)
    EmailAddress.objects.create(user=person, email=email, verified=True, primary=True)
    return person


@pytest.mark.django_db(transaction=True)
def test_invitation_email_and_acceptance(user, settings):
    settings.SITE_URL = "https://missions.example.gov.uk"
    org = OrganisationFactory(admin=user, name="Kestrel Solar")
    invitation, token = services.invite(user, org, "Sam@Example.org")
    assert invitation.token_hash != token and token not in invitation.token_hash  # only a hash is kept
    message = mail.outbox[-1]
    assert message.to == ["Sam@example.org"]
    assert "Kestrel Solar" in message.subject and message.subject.startswith("[Mission Commons]")
    assert f"https://missions.example.gov.uk/organisations/join/{token}/" in message.body
    sam = _verified("sam@example.org")
    assert services.accept_invitation(sam, token) == org
    assert Membership.objects.filter(organisation=org, user=sam, is_admin=False).exists()
    with pytest.raises(Refused) as exc:  # a link works once
        services.accept_invitation(sam, token)
    assert exc.value.code == "used"


@pytest.mark.django_db
def test_invitation_links_that_do_not_work_say_why(user):
    org = OrganisationFactory(admin=user)
    sam = _verified("sam@example.org")
    with pytest.raises(Refused) as exc:
        services.accept_invitation(sam, "made-up")
    assert exc.value.code == "not_found"

    expired, token = services.invite(user, org, "sam@example.org")
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(Refused) as exc:
        services.accept_invitation(sam, token)
    assert exc.value.code == "expired" and "expired" in exc.value.message

    old, old_token = services.invite(user, org, "sam@example.org")
    new, new_token = services.invite(user, org, "sam@example.org")  # replaces the open one
    with pytest.raises(Refused) as exc:
        services.accept_invitation(sam, old_token)
    assert exc.value.code == "withdrawn"

    stranger = _verified("someone.else@example.org")
    with pytest.raises(Refused) as exc:
        services.accept_invitation(stranger, new_token)
    assert exc.value.code == "wrong_account" and "s•••@example.org" in exc.value.message
    assert not Membership.objects.filter(user__in=[sam, stranger]).exists()

    services.withdraw_invitation(user, new)
    with pytest.raises(Refused) as exc:
        services.accept_invitation(sam, new_token)
    assert exc.value.code == "withdrawn"


@pytest.mark.django_db
def test_inviting_a_member_is_refused_and_stores_nothing(user, other_user):
    org = OrganisationFactory(admin=user, members=[other_user])
    with pytest.raises(Refused) as exc:
        services.invite(user, org, other_user.email.upper())
    assert exc.value.code == "already_member" and exc.value.field == "email"
    with pytest.raises(Refused) as exc:
        services.invite(user, org, "not an email")
    assert exc.value.field == "email"
    assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_the_last_admin_cannot_leave(user, other_user):
    org = OrganisationFactory(admin=user, members=[other_user])
    with pytest.raises(Refused) as exc:
        services.remove_member(user, org, user)
    assert exc.value.code == "last_admin"
    with pytest.raises(Refused):
        services.set_admin(user, org, user, False)
    services.set_admin(user, org, other_user, True)
    services.remove_member(user, org, user)  # now another admin remains
    assert list(Membership.objects.values_list("user", "is_admin")) == [(other_user.pk, True)]


@pytest.mark.django_db
def test_a_member_may_leave_and_an_admin_may_remove(user, other_user):
    third = UserFactory()
    org = OrganisationFactory(admin=user, members=[other_user, third])
    services.remove_member(other_user, org, other_user)
    services.remove_member(user, org, third)
    assert list(Membership.objects.values_list("user", flat=True)) == [user.pk]
    with pytest.raises(Refused) as exc:
        services.remove_member(user, org, third)
    assert exc.value.code == "not_member"


@pytest.mark.django_db
def test_only_a_confirmed_address_accepts_an_invitation(user):
    """Anyone can add an address to their account; only one they have
    confirmed receives mail takes up an invitation sent to it."""
    org = OrganisationFactory(admin=user)
    _invitation, token = services.invite(user, org, "sam@example.org")
    claimer = UserFactory(email="sam@example.org", username="claimer")  # the address as the account's email
    with pytest.raises(Refused) as exc:
        services.accept_invitation(claimer, token)
    assert exc.value.code == "unconfirmed" and "s•••@example.org" in exc.value.message
    other = UserFactory()
    EmailAddress.objects.create(user=other, email="Sam@example.org", verified=False, primary=False)
    with pytest.raises(Refused) as exc:
        services.accept_invitation(other, token)
    assert exc.value.code == "unconfirmed" and exc.value.status == 403
    assert not Membership.objects.filter(user__in=[claimer, other]).exists()
    assert Invitation.objects.get().accepted_at is None
    EmailAddress.objects.filter(user=other).update(verified=True)
    assert services.accept_invitation(other, token) == org


@pytest.mark.django_db
def test_the_invitation_page_shows_the_address_only_in_part(client, user):
    org = OrganisationFactory(admin=user, name="Kestrel Solar")
    _invitation, token = services.invite(user, org, "jo.bloggs@example.org")
    html = client.get(f"/organisations/join/{token}/").content.decode()
    assert "Kestrel Solar" in html and "j•••@example.org" in html
    assert "jo.bloggs" not in html
