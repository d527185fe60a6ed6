"""The stored opinion map of a call: what the results page, the JSON API and
the live event read, so no request ever computes it (opinions/services.py
does, in the background worker)."""

from django.db import models

from consult.models import ChallengeCallPage


class OpinionSnapshot(models.Model):
    """The last opinion map computed for a call, one row per call, replaced
    by each recomputation.

    ``data`` is ``OpinionMap.as_dict()`` (opinions/groups.py) plus what the
    pages need without another computation (opinions/services.py,
    ``snapshot_data``): smoothed shares per idea overall and per group, the
    "most supported" and "divided" orderings and how participants are keyed
    (``key_kind``: "user", the user id; "polis", the Pol.is participant id of
    an imported conversation). Positions and shares are rounded to 4
    decimals, so a call of 10,000 participants and 1,000 ideas stores about
    1.5 MB (synthetic, 2 to 3 groups; about two thirds of it the points and
    the per-group shares, which grow with the number of groups), checked to
    stay under 3 MB in tests/opinions/test_services.py."""

    call = models.OneToOneField(ChallengeCallPage, on_delete=models.CASCADE, related_name="opinion_snapshot")
    computed_at = models.DateTimeField()
    n_votes = models.PositiveIntegerField(default=0)
    n_participants = models.PositiveIntegerField(default=0)
    data = models.JSONField(default=dict)

    class Meta:
        verbose_name = "opinion map"

    def __str__(self):
        return f"Opinion map of call {self.call_id} ({self.n_votes} votes, {self.computed_at:%Y-%m-%d %H:%M})"

    @property
    def groups(self):
        return self.data.get("groups", [])

    @property
    def reason(self):
        """Why the map has no groups (too few votes, ...), or None."""
        return self.data.get("reason")
