"""A prize's stages as plain values: read from the page's stream, checked,
and placed on the clock. Pure: no database, no request.

Each stage has dates, the criteria its applications are scored against
(name, what it means, weight, scale), the questions applicants answer (with
word limits) and what it awards. The stage open at a moment is the one whose
dates hold it; between stages, the next one is "coming"."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .scoring import Criterion


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    guidance: str = ""
    word_limit: int = 500


@dataclass(frozen=True)
class PublishedCriterion:
    id: str
    name: str
    meaning: str
    weight: int
    low: int = 0
    high: int = 10

    def for_scoring(self) -> Criterion:
        return Criterion(self.id, weight=self.weight, low=self.low, high=self.high)


@dataclass(frozen=True)
class Stage:
    id: str
    name: str
    opens: object
    closes: object
    awards: str = ""
    threshold: int | None = None
    assessors: int = 3
    criteria: tuple[PublishedCriterion, ...] = ()
    questions: tuple[Question, ...] = ()

    @property
    def total_weight(self) -> int:
        return sum(c.weight for c in self.criteria)

    def weight_share(self, criterion: PublishedCriterion) -> int:
        """The criterion's share of the stage's score, in whole per cent."""
        return round(100 * criterion.weight / self.total_weight) if self.total_weight else 0


def from_blocks(blocks: Iterable[tuple[str, Mapping]]) -> list[Stage]:
    """Stages from (block id, value) pairs as the page's StreamField holds
    them: each stage's criteria and questions keep their list items' ids, so
    scores and answers stay tied to what was published."""
    stages = []
    for block_id, value in blocks:
        stages.append(Stage(
            id=str(block_id), name=value["name"], opens=value["opens"], closes=value["closes"],
            awards=value.get("awards") or "", threshold=value.get("threshold"),
            assessors=value.get("assessors") or 3,
            criteria=tuple(PublishedCriterion(id=str(i), name=c["name"], meaning=c.get("meaning") or "",
                                              weight=c["weight"], low=c["low"], high=c["high"])
                           for i, c in value.get("criteria") or ()),
            questions=tuple(Question(id=str(i), text=q["question"], guidance=q.get("guidance") or "",
                                     word_limit=q["word_limit"])
                            for i, q in value.get("questions") or ()),
        ))
    return stages


def problems(stages: list[Stage]) -> list[str]:
    """What is wrong with a prize's stages, in the team's words (the admin
    shows these and saves nothing)."""
    found = []
    if not stages:
        found.append("Add at least one stage.")
    for n, stage in enumerate(stages, start=1):
        where = f"Stage {n} ({stage.name})"
        if stage.closes <= stage.opens:
            found.append(f"{where}: it must close after it opens.")
        if n > 1 and stage.opens < stages[n - 2].closes:
            found.append(f"{where}: it must open when stage {n - 1} closes or later.")
        for c in stage.criteria:
            if c.high <= c.low:
                found.append(f"{where}, criterion “{c.name}”: the top of the scale must be above the bottom.")
            if c.weight < 1:
                found.append(f"{where}, criterion “{c.name}”: give a weight of 1 or more.")
        if stage.threshold is not None and not 0 <= stage.threshold <= 100:
            found.append(f"{where}: the quality threshold is a share of the maximum, 0 to 100.")
    return found


@dataclass(frozen=True)
class Position:
    stage: Stage | None     # the stage open now, if any
    coming: Stage | None    # else the next to open
    index: int | None       # the open stage's place (0-based)


def position(stages: list[Stage], now) -> Position:
    for i, stage in enumerate(stages):
        if stage.opens <= now < stage.closes:
            return Position(stage=stage, coming=None, index=i)
    coming = next((s for s in stages if s.opens > now), None)
    return Position(stage=None, coming=coming, index=None)
