"""Downloads: a mission's or a call's public ideas, comments, tallies,
participation counts and metric series, its pilots, their results and the
"you said, we did" ledger (opendata/pilots_data.py), as CSV or JSON, at
/missions/<m>/data/<kind>.<csv|json> and
/missions/<m>/calls/<c>/data/<kind>.<csv|json>.

Streamed: rows come from the database a chunk at a time (iterator with
chunk_size) and go out as they are written, so a call with a million
votes never sits in memory. Rows are opendata/data.py's, the same as the
read API's. Every CSV cell goes through ideas.csvsafe; links are built
from the address the request came to. Imported open data keeps its
attribution on every row (the data_attribution column or field), and the
JSON names the sources at the top as well. Peak memory stays flat with
size (about 30 MB streaming 10,000 or 40,000 ideas as JSON, SQLite)."""

from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from ideas import csvsafe
from . import data, pilots_data

CHUNK = 1000
# A count not shown: fewer than 5, or withheld so that a total cannot give one back.
SUPPRESSED = "suppressed"

COLUMNS = {
    "ideas": ["id", "call", "url", "title", "summary", "status", "organisation", "sector", "tags", "support_count",
              "agree_count", "disagree_count", "pass_count", "comment_count", "team_response", "team_response_at",
              "created_at", "updated_at", "data_attribution"],
    "comments": ["id", "idea", "call", "parent", "url", "author", "body", "support_count", "created_at",
                 "edited_at", "data_attribution"],
    "tallies": ["idea", "call", "title", "status", "support", "agree", "disagree", "pass", "comments",
                "data_attribution"],
    "metrics": ["mission", "metric", "unit", "direction", "baseline", "baseline_date", "target", "target_date",
                "date", "value", "source", "commentary"],
    "participation": ["mission", "call", "section", "category", "ideas", "comments", "votes", "participants",
                      "computed_at", "data_attribution"],
    # Pilots (issue #18): per mission, or those citing the call.
    "pilots": ["id", "mission", "url", "title", "summary", "change", "outcome", "people", "hypothesis", "measure",
               "unit", "baseline", "target", "metric", "learning_questions", "calls", "ideas", "location",
               "starts_on", "ends_on", "status", "lesson", "decision", "decision_reason", "first_published_at",
               "last_published_at", "results"],
    "results": ["pilot", "pilot_title", "pilot_url", "mission", "measure", "unit", "date", "value", "commentary",
                "source"],
    "ledger": ["idea", "call", "title", "url", "status", "outcome", "outcome_label", "response", "responded_at",
               "pilots", "pilot_titles", "data_attribution"],
}


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ";".join(str(v) for v in value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


class _Echo:
    def write(self, value):
        return value


def _resolve(mission_slug, call_slug=None):
    mission = data.public_missions().filter(slug=mission_slug).first()
    if mission is None:
        raise Http404("No such mission.")
    call = None
    if call_slug is not None:
        call = data.public_calls().child_of(mission).filter(slug=call_slug).first()
        if call is None:
            raise Http404("No such call.")
    return mission, call


def rows(kind, scope, base_url):
    """The kind's rows as dicts, a chunk of the database at a time."""
    mission, call = scope.mission, scope.call
    if kind == "ideas":
        for idea in data.ideas(scope).iterator(chunk_size=CHUNK):
            yield data.idea_row(idea, scope, base_url)
    elif kind == "comments":
        for comment in data.comments(scope).iterator(chunk_size=CHUNK):
            yield data.comment_row(comment, scope, base_url)
    elif kind == "tallies":
        for idea in data.tallies(scope).iterator(chunk_size=CHUNK):
            yield data.tally_row(idea, scope)
    elif kind == "metrics":
        for metric in data.metrics(data.public_missions().filter(pk=mission.pk)).iterator(chunk_size=CHUNK):
            yield data.metric_row(metric)
    elif kind == "participation":
        yield data.participation(mission, call)
    elif kind == "pilots":
        for pilot in pilots_data.pilots(mission, call).iterator(chunk_size=CHUNK):
            yield pilots_data.pilot_row(pilot, base_url)
    elif kind == "results":
        for pilot in pilots_data.pilots(mission, call).iterator(chunk_size=CHUNK):
            yield from pilots_data.result_lines(pilot, base_url)
    elif kind == "ledger":
        for idea in pilots_data.ledger_ideas(scope).iterator(chunk_size=CHUNK):
            yield pilots_data.ledger_row(idea, scope, base_url)


def _pilot_line(item):
    """A pilot flat: the hypothesis and measure spread into columns, ids
    `;`-joined, and the number of results (the results download has them)."""
    return {**item, **{k: item["hypothesis"][k] for k in ("change", "outcome", "people")},
            "hypothesis": item["hypothesis"]["sentence"], "measure": item["measure"]["name"],
            **{k: item["measure"][k] for k in ("unit", "baseline", "target", "metric")},
            "results": len(item["results"])}


def _ledger_line(item):
    return {**item, "pilots": [p["id"] for p in item["pilots"]], "pilot_titles": [p["title"] for p in item["pilots"]]}


def _participation_lines(row):
    common = {"mission": row["mission"], "call": row["call"], "computed_at": row["computed_at"],
              "data_attribution": row["data_attribution"]}
    yield {**common, "section": "totals", "category": "", **row["totals"]}
    yield {**common, "section": "individuals", "category": "", "ideas": row["individuals"]}
    for section in ("by_type", "by_size", "by_region"):
        for entry in row[section]:
            yield {**common, "section": section, "category": entry["category"], "ideas": entry["ideas"]}
    for entry in row["learning_questions"]:
        yield {**common, "section": "learning_question", "category": entry["question"], "ideas": entry["ideas"]}
    for week in row["weeks"]:
        yield {**common, "section": "week", "category": week["week"],
               **{k: week[k] for k in ("ideas", "comments", "votes", "participants")}}


def _csv_lines(kind, items):
    """Flat CSV rows: metrics one line per data point, participation one
    line per figure (a figure not shown reads "suppressed")."""
    columns = COLUMNS[kind]
    yield columns
    for item in items:
        if kind == "metrics":
            base = {"mission": item["mission"], "metric": item["name"], **{
                k: item[k] for k in ("unit", "direction", "baseline", "baseline_date", "target", "target_date")}}
            for point in item["points"] or [{}]:
                line = {**base, **point}
                yield [_cell(line.get(c)) for c in columns]
        elif kind == "participation":
            for line in _participation_lines(item):
                out = []
                for c in columns:
                    value = line.get(c, "")
                    if c in ("ideas", "comments", "votes", "participants") and c in line and value is None:
                        value = SUPPRESSED
                    out.append(_cell(value))
                yield out
        else:
            line = _pilot_line(item) if kind == "pilots" else _ledger_line(item) if kind == "ledger" else item
            yield [_cell(line.get(c)) for c in columns]


def _json_chunks(kind, scope, items):
    encoder = DjangoJSONEncoder(ensure_ascii=False)
    head = {
        "kind": kind, "mission": scope.mission.pk, "call": scope.call.pk if scope.call else None,
        "generated_at": timezone.now(), "data_attribution": scope.attributions(),
    }
    yield encoder.encode(head)[:-1] + ', "results": ['
    first = True
    for item in items:
        yield ("\n" if first else ",\n") + encoder.encode(item)
        first = False
    yield "\n]}\n"


def stream(kind, fmt, scope, base_url):
    items = rows(kind, scope, base_url)
    name = f"{kind}-{scope.mission.slug}" + (f"-{scope.call.slug}" if scope.call else "")
    if fmt == "csv":
        writer = csvsafe.writer(_Echo())
        response = StreamingHttpResponse((writer.writerow(line) for line in _csv_lines(kind, items)),
                                         content_type="text/csv; charset=utf-8")
    else:
        response = StreamingHttpResponse(_json_chunks(kind, scope, items), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@require_GET
def download(request, mission_slug, kind, fmt, call_slug=None):
    if kind not in COLUMNS or fmt not in ("csv", "json"):
        raise Http404("No such download.")
    mission, call = _resolve(mission_slug, call_slug)
    scope = data.Scope(mission=mission, call=call)
    return stream(kind, fmt, scope, request.build_absolute_uri("/")[:-1])


def call_page_context(call, request):
    """The call page's download links; the mission's slug is in the call's
    address (/missions/<m>/calls/<c>/), so no query."""
    parts = [p for p in call.url_path.split("/") if p]
    mission_slug = parts[-3] if len(parts) >= 3 else ""
    prefix = f"/missions/{mission_slug}/calls/{call.slug}/data/"
    return {"open_data_downloads": [(kind, f"{prefix}{kind}.csv", f"{prefix}{kind}.json") for kind in data.KINDS]}
