"""What became of an idea beyond its own fields (issue #18).

An idea taken forward names its pilot, and the idea page, its card on the
call page and the team's tools show it; pilots belong to the `pilots` app,
above ideas in the layer rule (docs/architecture.md), so it registers here
once from its AppConfig.ready(), as consult/call_page.py does for the call.

- `register_pilots(reader)`: reader(idea ids) returns {idea id: [{"title",
  "url", "status", "status_label"}]} of the published pilots each idea was
  taken forward into, in one query.
- `register_team_tool(template, context)`: a form in the mission team's
  tools on the idea page; context(user, idea) returns the template's context,
  or None when the person may not use it.
- `register_outcome(rule)`: rule(idea, pilots) returns {"key", "label"},
  what became of the idea by the one rule the idea page, its card on the
  call page and "you said, we did" all use (pilots/ledger.py `outcome`).
- `register_holder(reader)`: reader(idea) returns the titles of every pilot
  the idea was taken forward into (shown or not); while there is one, the
  idea's status stays "taken forward" (ideas/services/submissions.py
  `set_idea_status` refuses another), so its status and what became of it
  never tell two stories."""

from collections.abc import Callable, Iterable
from typing import Any

_pilots = []
_team_tools = []
_outcome = []
_holders = []


def register_outcome(rule: Callable[[Any, list], dict | None]) -> None:
    _outcome[:] = [rule]


def outcome(idea, pilots):
    """{"key", "label"} of what became of `idea`, taken forward into `pilots`
    (from pilots_of), or None when no app registered the rule."""
    for rule in _outcome:
        return rule(idea, pilots)
    return None


def register_holder(reader: Callable[[Any], Iterable[str]]) -> None:
    _holders[:] = [reader]


def held_by(idea):
    """The titles of the pilots `idea` is in: [] for most ideas."""
    titles = []
    for reader in _holders:
        titles.extend(reader(idea))
    return titles


def register_pilots(reader: Callable[[list[int]], dict[int, list]]) -> None:
    _pilots[:] = [reader]


def pilots_of(idea_ids):
    found = {}
    idea_ids = [pk for pk in idea_ids if pk is not None]
    if not idea_ids:
        return found
    for reader in _pilots:
        for idea_id, pilots in reader(idea_ids).items():
            found.setdefault(idea_id, []).extend(pilots)
    return found


def register_team_tool(template: str, context: Callable[[Any, Any], dict | None]) -> None:
    if (template, context) not in _team_tools:
        _team_tools.append((template, context))


def team_tools(user, idea):
    tools = []
    for template, context in _team_tools:
        values = context(user, idea)
        if values is not None:
            tools.append({"template": template, "context": values})
    return tools
