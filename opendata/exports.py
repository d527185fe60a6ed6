"""A call's public ideas as CSV, for spreadsheets. It starts from the one
visibility query, so moderation applies at once; each row is the idea's one
record (ideas.serializers), with links built from the address the request
came to (host and port), so a site served at :8100 or behind a proxy links
to itself, not to SITE_URL's default. Every cell goes through ideas.csvsafe."""

from django.http import StreamingHttpResponse

from ideas import csvsafe
from ideas.visibility import public_ideas
from ideas.serializers import idea_record

# Column: the record's field it comes from.
COLUMNS = {
    "id": "id", "url": "url", "title": "title", "summary": "summary", "status": "status",
    "organisation": "organisation", "sector": "sector", "tags": "tags", "supports": "support_count",
    "agree": "agree_count", "disagree": "disagree_count", "pass": "pass_count", "comments": "comment_count",
    "created_at": "created_at",
}


class _Echo:
    def write(self, value):
        return value


def _rows(request, call):
    ideas = (
        public_ideas().filter(call=call).select_related("organisation_sector")
        .prefetch_related("tagged_items__tag").order_by("pk")
    )
    base_url = request.build_absolute_uri("/")[:-1]
    # Imported open data keeps its licence and attribution in every row, so
    # it travels with any row copied out of the file.
    source = [call.attribution_line] if call.data_attribution else []
    yield list(COLUMNS) + (["source"] if source else [])
    for idea in ideas.iterator(chunk_size=1000):  # a chunk at a time, never the whole call in memory
        record = idea_record(idea, base_url, labels=True)
        record["created_at"] = record["created_at"].isoformat()
        yield [record[field] for field in COLUMNS.values()] + source


def call_csv(request, call):
    writer = csvsafe.writer(_Echo())
    response = StreamingHttpResponse((writer.writerow(row) for row in _rows(request, call)),
                                     content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="ideas-{call.slug}.csv"'
    return response
