"""An idea of a call under a Wagtail view restriction is as private as the
call (ideas/restrictions.py): its page asks for the call's password (or a
sign-in), its actions and its API answer 404, its live topics refuse, until
the restriction is passed. Before, a password-protected call's idea could be
read, voted and commented on at its own address."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import PageViewRestriction

from ideas.live_topics import authorise_call, authorise_idea
from ideas.models import Comment, Vote
from live.topics import TopicError

from ..factories import CommentFactory, IdeaFactory, UserFactory


def restrict(call, kind, **extra):
    return PageViewRestriction.objects.create(page=call, restriction_type=kind, **extra)


def give_password(client, restriction, call, password="letmein"):
    response = client.post(reverse("wagtailcore_authenticate_with_password", args=[restriction.id, call.id]),
                           {"password": password, "return_url": "/"})
    assert response.status_code == 302


@pytest.mark.django_db
def test_a_password_protected_calls_idea_asks_for_the_password_and_refuses_actions(call, client):
    idea = IdeaFactory(call=call, title="Secret consultation idea")
    restriction = restrict(call, PageViewRestriction.PASSWORD, password="letmein")
    voter = UserFactory()
    client.force_login(voter)

    page = client.get(f"/ideas/{idea.pk}/")
    assert page.status_code == 200 and "Secret consultation idea" not in page.content.decode()
    assert 'name="password"' in page.content.decode()
    assert client.post(reverse("idea_vote", args=[idea.pk]), {"value": "support"}).status_code == 404
    assert client.post(reverse("idea_comment", args=[idea.pk]), {"body": "Sneaking in"}).status_code == 404
    assert client.get(f"/api/v1/ideas/{idea.pk}").status_code == 404
    comment = CommentFactory(idea=idea)
    assert client.post(reverse("comment_support", args=[comment.pk])).status_code == 404
    assert not Vote.objects.filter(idea=idea).exists()
    assert not Comment.objects.filter(idea=idea, author=voter).exists()

    give_password(client, restriction, call)
    assert "Secret consultation idea" in client.get(f"/ideas/{idea.pk}/").content.decode()
    assert client.post(reverse("idea_vote", args=[idea.pk]), {"value": "support"}).status_code == 302
    assert Vote.objects.filter(idea=idea, user=voter).exists()
    assert client.post(reverse("idea_comment", args=[idea.pk]), {"body": "Now I may"}).status_code == 302
    assert Comment.objects.filter(idea=idea, author=voter).exists()
    assert client.get(f"/api/v1/ideas/{idea.pk}").status_code == 200


@pytest.mark.django_db
def test_a_signed_in_only_call_sends_strangers_to_sign_in(call, client):
    idea = IdeaFactory(call=call, title="Members only idea")
    restrict(call, PageViewRestriction.LOGIN)
    page = client.get(f"/ideas/{idea.pk}/")
    assert page.status_code == 302 and "login" in page["Location"]
    client.force_login(UserFactory())
    assert "Members only idea" in client.get(f"/ideas/{idea.pk}/").content.decode()


@pytest.mark.django_db
def test_live_topics_of_restricted_calls(call):
    idea = IdeaFactory(call=call)
    member, stranger = UserFactory(), UserFactory()
    group = Group.objects.create(name="Restricted call readers")
    member.groups.add(group)
    restriction = restrict(call, PageViewRestriction.GROUPS)
    restriction.groups.add(group)
    authorise_call(member, call.pk)
    authorise_idea(member, idea.pk)
    for check, pk in ((authorise_call, call.pk), (authorise_idea, idea.pk)):
        with pytest.raises(TopicError):
            check(stranger, pk)
    restriction.delete()
    restrict(call, PageViewRestriction.PASSWORD, password="letmein")
    with pytest.raises(TopicError):  # a socket carries no password: no live updates there
        authorise_idea(member, idea.pk)


@pytest.mark.django_db
def test_a_restriction_added_reaches_the_cached_signed_out_idea_page(call, client, settings,
                                                                       django_capture_on_commit_callbacks):
    from cms import pagecache

    settings.PAGE_CACHE_ENABLED = True
    pagecache.bump_site()
    idea = IdeaFactory(call=call, title="Soon to be private")
    for _ in range(2):
        assert "Soon to be private" in client.get(f"/ideas/{idea.pk}/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        restrict(call, PageViewRestriction.PASSWORD, password="letmein")
    page = client.get(f"/ideas/{idea.pk}/")
    assert "Soon to be private" not in page.content.decode() and 'name="password"' in page.content.decode()
