"""The team's references: a share above 100% or a malformed one is a form
error on the field, never a 500, and nothing is stored."""

import pytest

from participation.models import Reference

REGIONS = ("north_east", "north_west", "yorkshire", "east_midlands", "west_midlands", "east", "london",
           "south_east", "south_west", "scotland", "wales", "northern_ireland")


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["150", "100.01", "1000", "99999"])
def test_a_share_above_a_hundred_is_a_form_error(client, mission, team_member, value):
    client.force_login(team_member)
    shares = {f"share_{k}": "0" for k in REGIONS}
    response = client.post(f"/missions/{mission.slug}/participation/reference/region/",
                           {**shares, "share_london": value, "against": "our pilot areas"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "The share for London cannot be more than 100%." in html
    assert not Reference.objects.exists()


@pytest.mark.django_db
def test_the_hundred_per_cent_message_reads_as_written(client, mission, team_member):
    client.force_login(team_member)
    shares = {f"share_{k}": "0" for k in REGIONS}
    html = client.post(f"/missions/{mission.slug}/participation/reference/region/",
                       {**shares, "share_london": "150", "against": "x"}).content.decode()
    assert "The share for London cannot be more than 100%." in html
