"""A person holds at most settings.API_TOKEN_LIMIT unrevoked API tokens
(ideas/services/tokens.py): the next is refused with 409, on the token page
as a form error; revoking one makes room."""

import pytest

from inputs.refusals import Refused
from ideas.models import ApiToken
from ideas.services import tokens


@pytest.mark.django_db
def test_the_token_past_the_limit_is_refused_until_one_is_revoked(user, other_user, settings):
    settings.API_TOKEN_LIMIT = 2
    first, _ = tokens.create_api_token(user, "one")
    tokens.create_api_token(user, "two")
    with pytest.raises(Refused) as refused:
        tokens.create_api_token(user, "three")
    assert refused.value.status == 409 and refused.value.field == "name"
    assert "Revoke one" in refused.value.message
    assert ApiToken.objects.filter(user=user).count() == 2
    tokens.create_api_token(other_user, "theirs")  # the limit is per person
    tokens.revoke_api_token(user, first)
    tokens.create_api_token(user, "three")
    assert ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() == 2


@pytest.mark.django_db
def test_the_token_page_shows_the_limit_as_a_form_error(user, client, site, settings):
    settings.API_TOKEN_LIMIT = 1
    tokens.create_api_token(user, "only")
    client.force_login(user)
    response = client.post("/accounts/tokens/", {"name": "another"})
    html = response.content.decode()
    assert "the most one person may hold" in html
    assert "Copy it now" not in html
    assert ApiToken.objects.filter(user=user).count() == 1
