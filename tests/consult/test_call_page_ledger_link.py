"""The call page links to its "you said, we did" once (it had two links
with different words, one under the other)."""

import pytest
from bs4 import BeautifulSoup


@pytest.mark.django_db
def test_the_call_page_links_to_you_said_we_did_once(client, call):
    page = BeautifulSoup(client.get(call.url).content.decode(), "html.parser")
    links = page.select(f'main a[href="{call.url}you-said-we-did/"]')
    assert [a.get_text(strip=True) for a in links] == ["You said, we did"]
