"""The reference a mission team compares participation with (for example
the share of UK businesses by size, or of the population by region). Where
the team has set none for a dimension, the published defaults in
participation/references.py apply."""

from django.db import models

from consult.models import MissionPage


class Reference(models.Model):
    DIMENSIONS = [("size", "Organisation size"), ("region", "Nation or region")]

    mission = models.ForeignKey(MissionPage, on_delete=models.CASCADE, related_name="participation_references")
    dimension = models.CharField(max_length=10, choices=DIMENSIONS)
    category = models.CharField(max_length=30)
    share = models.DecimalField(max_digits=5, decimal_places=2, help_text="Per cent")
    against = models.CharField(max_length=120, help_text="Who the shares describe, e.g. 'businesses in the North East'")
    source = models.CharField(max_length=255, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["mission", "dimension", "category"], name="one_reference_share"),
        ]


class Snapshot(models.Model):
    """A dashboard's counts as last computed (participation/selectors.py
    counts), for one call or one mission. Pages read this row; the worker
    recomputes it at most once a minute while people take part, because at
    a national call's size the counting takes seconds."""

    CALL, MISSION = "call", "mission"

    scope = models.CharField(max_length=10, choices=[(CALL, "Call"), (MISSION, "Mission")])
    scope_id = models.BigIntegerField()
    counts = models.JSONField()
    computed_at = models.DateTimeField()
    refresh_requested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "scope_id"], name="one_participation_snapshot")]
