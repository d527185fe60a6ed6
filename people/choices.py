"""The fixed lists an organisation is described by. A mission team reads
participation by these (is it only the large and the central?), so they are
the bands people already use: the GOV.UK organisation kinds, the employee
bands of the Companies Act and the ONS business population estimates, and the
four nations with England's nine regions (ITL1)."""

from django.db import models


class OrganisationType(models.TextChoices):
    CENTRAL_GOVERNMENT = "central_government", "Central government"
    LOCAL_GOVERNMENT = "local_government", "Local government"
    PUBLIC_BODY = "public_body", "NHS or other public body"
    BUSINESS = "business", "Business"
    CHARITY = "charity", "Charity or social enterprise"
    ACADEMIC = "academic", "Academic or research"
    COMMUNITY = "community", "Community group"


class OrganisationSize(models.TextChoices):
    MICRO = "micro", "Micro (fewer than 10 employees)"
    SMALL = "small", "Small (10 to 49 employees)"
    MEDIUM = "medium", "Medium (50 to 249 employees)"
    LARGE = "large", "Large (250 or more employees)"


class Region(models.TextChoices):
    NORTH_EAST = "north_east", "North East"
    NORTH_WEST = "north_west", "North West"
    YORKSHIRE = "yorkshire", "Yorkshire and the Humber"
    EAST_MIDLANDS = "east_midlands", "East Midlands"
    WEST_MIDLANDS = "west_midlands", "West Midlands"
    EAST = "east", "East of England"
    LONDON = "london", "London"
    SOUTH_EAST = "south_east", "South East"
    SOUTH_WEST = "south_west", "South West"
    SCOTLAND = "scotland", "Scotland"
    WALES = "wales", "Wales"
    NORTHERN_IRELAND = "northern_ireland", "Northern Ireland"


class NumberKind(models.TextChoices):
    COMPANY = "company", "Companies House number"
    CHARITY = "charity", "Registered charity number"
