"""Published figures a mission team can compare participation with, until
it sets its own (participation/models.py Reference). Shares are per cent and
each set sums to 100.

- Size: UK private sector businesses by employee band, Business population
  estimates for the UK and regions 2024 (Department for Business and Trade):
  micro 0-9 employees 95.3%, small 10-49 3.9%, medium 50-249 0.7%, large
  250+ 0.1%.
- Region: population by nation and English region, mid-2022 estimates (ONS).
"""

from people.choices import OrganisationSize, Region

SIZE_SOURCE = "Business population estimates for the UK and regions 2024 (Department for Business and Trade)"
REGION_SOURCE = "Population estimates for the UK, mid-2022 (Office for National Statistics)"

DEFAULTS = {
    "size": {
        "source": SIZE_SOURCE,
        "against": "UK businesses",
        "shares": {
            OrganisationSize.MICRO: 95.3,
            OrganisationSize.SMALL: 3.9,
            OrganisationSize.MEDIUM: 0.7,
            OrganisationSize.LARGE: 0.1,
        },
    },
    "region": {
        "source": REGION_SOURCE,
        "against": "the UK population",
        "shares": {
            Region.NORTH_EAST: 4.0,
            Region.NORTH_WEST: 11.1,
            Region.YORKSHIRE: 8.2,
            Region.EAST_MIDLANDS: 7.3,
            Region.WEST_MIDLANDS: 8.9,
            Region.EAST: 9.5,
            Region.LONDON: 13.1,
            Region.SOUTH_EAST: 13.9,
            Region.SOUTH_WEST: 8.5,
            Region.WALES: 4.6,
            Region.SCOTLAND: 8.1,
            Region.NORTHERN_IRELAND: 2.8,
        },
    },
}
