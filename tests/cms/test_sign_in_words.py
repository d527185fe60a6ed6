"""The sign-in page offers one way to reset a password (allauth adds its
own link under the password field; the page has one beside the button)."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse


@pytest.mark.django_db
def test_the_sign_in_page_links_to_the_password_reset_once(client, site):
    page = BeautifulSoup(client.get("/accounts/login/").content.decode(), "html.parser")
    links = page.select(f'main a[href="{reverse("account_reset_password")}"]')
    assert [a.get_text(strip=True) for a in links] == ["Forgotten your password?"]
