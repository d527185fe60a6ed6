"""The flag form of an idea or comment of a call under a Wagtail view
restriction answers as the idea page does (the call's password form, or
sign in) and stores no flag, until the restriction is passed. Before, the
form showed a password-protected call's idea title and comment text and
accepted flags. The check is in the `ideas.flag` rule, so the service and
the idea page's "Report" link follow it too."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import PageViewRestriction

from consult.rules import can
from inputs.refusals import Refused
from moderation import services as moderation
from moderation.models import Flag

from ..factories import CommentFactory, IdeaFactory, UserFactory


def restrict(call, kind, **extra):
    return PageViewRestriction.objects.create(page=call, restriction_type=kind, **extra)


def flag_pages(idea, comment):
    return (f"/ideas/{idea.pk}/flag/", f"/ideas/comments/{comment.pk}/flag/")


@pytest.fixture
def secret(call):
    idea = IdeaFactory(call=call, title="Secret consultation idea")
    comment = CommentFactory(idea=idea, body="Secret comment words")
    return idea, comment


@pytest.mark.django_db
def test_a_password_protected_calls_flag_pages_ask_for_the_password_and_store_nothing(call, client, secret):
    idea, comment = secret
    restriction = restrict(call, PageViewRestriction.PASSWORD, password="letmein")
    flagger = UserFactory(standing=True)
    client.force_login(flagger)

    idea_page = client.get(f"/ideas/{idea.pk}/")
    for url in flag_pages(idea, comment):
        for response in (client.get(url), client.post(url, {"reason": "spam"})):
            html = response.content.decode()
            assert response.status_code == idea_page.status_code == 200, url
            assert 'name="password"' in html, url
            assert "Secret consultation idea" not in html and "Secret comment words" not in html, url
    assert not Flag.objects.exists()

    # The rule itself refuses, so no surface asking it can flag behind the password.
    for item in (idea, comment):
        assert not can(flagger, "ideas.flag", item)
        with pytest.raises(Refused) as refused:
            moderation.flag(flagger, item, "spam")
        assert refused.value.status == 404
    assert not Flag.objects.exists()

    # Once the password is given, the forms work as on any call.
    response = client.post(reverse("wagtailcore_authenticate_with_password", args=[restriction.id, call.id]),
                           {"password": "letmein", "return_url": "/"})
    assert response.status_code == 302
    assert "Report this idea" in client.get(f"/ideas/{idea.pk}/").content.decode()
    idea_url, comment_url = flag_pages(idea, comment)
    assert "Secret consultation idea" in client.get(idea_url).content.decode()
    assert "Secret comment words" in client.get(comment_url).content.decode()
    assert client.post(idea_url, {"reason": "spam"}).status_code == 302
    assert client.post(comment_url, {"reason": "spam"}).status_code == 302
    assert Flag.objects.filter(user=flagger).count() == 2


@pytest.mark.django_db
def test_a_signed_in_only_calls_flag_pages_send_strangers_to_sign_in(call, client, secret):
    idea, comment = secret
    restrict(call, PageViewRestriction.LOGIN)
    idea_page = client.get(f"/ideas/{idea.pk}/")
    assert idea_page.status_code == 302 and "login" in idea_page["Location"]
    for url in flag_pages(idea, comment):
        for response in (client.get(url), client.post(url, {"reason": "spam"})):
            assert response.status_code == 302 and "login" in response["Location"], url
            assert "Secret" not in response.content.decode()
    assert not Flag.objects.exists()
    signed_in = UserFactory()
    assert can(signed_in, "ideas.flag", idea) and can(signed_in, "ideas.flag", comment)


@pytest.mark.django_db
def test_a_group_restricted_calls_flag_pages_answer_as_its_idea_page(call, client, secret):
    idea, comment = secret
    group = Group.objects.create(name="Restricted call readers")
    restriction = restrict(call, PageViewRestriction.GROUPS)
    restriction.groups.add(group)
    stranger, member = UserFactory(), UserFactory()
    member.groups.add(group)

    client.force_login(stranger)
    idea_page = client.get(f"/ideas/{idea.pk}/")
    assert idea_page.status_code == 302
    for url in flag_pages(idea, comment):
        for response in (client.get(url), client.post(url, {"reason": "spam"})):
            assert response.status_code == 302, url
            assert response["Location"] == idea_page["Location"].replace(f"/ideas/{idea.pk}/", url), url
    for item in (idea, comment):
        assert not can(stranger, "ideas.flag", item)
        with pytest.raises(Refused):
            moderation.flag(stranger, item, "spam")
    assert not Flag.objects.exists()

    client.force_login(member)
    for url in flag_pages(idea, comment):
        assert client.post(url, {"reason": "spam"}).status_code == 302
    assert Flag.objects.filter(user=member).count() == 2
