"""A pilot's status, the order a mission lists them in and each status's tag
colour: below the models, so that the models and the page context
(pilots/page_context.py) share them without importing each other."""

from django.db import models


class PilotStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    RUNNING = "running", "Running"
    CONCLUDED = "concluded", "Concluded"
    STOPPED = "stopped", "Stopped"


# The order a mission's pilots are listed in, and each status's tag colour.
STATUS_ORDER = [PilotStatus.RUNNING, PilotStatus.PLANNED, PilotStatus.CONCLUDED, PilotStatus.STOPPED]
STATUS_COLOURS = {
    PilotStatus.PLANNED: "grey",
    PilotStatus.RUNNING: "blue",
    PilotStatus.CONCLUDED: "green",
    PilotStatus.STOPPED: "red",
}
