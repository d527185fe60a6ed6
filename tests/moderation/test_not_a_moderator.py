"""/moderation/ and a mission's moderation pages answer a signed-in person
who is not a moderator with the site's page saying so (403), not a bare
"Forbidden"; a signed-out visitor is sent to sign in."""

import pytest


@pytest.mark.django_db
def test_a_signed_in_non_moderator_gets_the_sites_page_saying_so(client, user, mission):
    client.force_login(user)
    for url, heading in (("/moderation/", "You are not a moderator</h1>"),
                         (f"/moderation/{mission.slug}/", "You are not a moderator of this mission</h1>"),
                         (f"/moderation/{mission.slug}/log/", "You are not a moderator of this mission</h1>")):
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 403, url
        assert heading in html and 'class="govuk-template' in html, url
        assert "browse the missions" in html


@pytest.mark.django_db
def test_signed_out_visitors_are_sent_to_sign_in(client, mission):
    for url in ("/moderation/", f"/moderation/{mission.slug}/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next="), url
