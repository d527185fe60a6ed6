"""One idea as data: the record the participation API, the open data API and
the call's CSV export all answer with, so a field is named, computed and
hidden in one place. Each output picks the fields it documents (the API
schemas ignore the rest; the CSV names its columns).

Only public fields: who wrote an idea, and moderators' notes, are never in
it. Callers choose which ideas (the visibility query) and page them."""


def idea_record(idea, base_url="", *, labels=False):
    """The idea as a dict of plain values.

    `base_url` ("https://host:port", no trailing slash) makes `url` absolute:
    exports are read away from the site, so their links carry the address
    the request came to; the APIs give the path. `labels=True` adds the
    organisation's sector name and the tags (`;`-joined), for which the
    caller must select_related("organisation_sector") and
    prefetch_related("tagged_items__tag") to keep to one query per page."""
    record = {
        "id": idea.pk,
        "call": idea.call_id,
        "url": base_url + idea.get_absolute_url(),
        "title": idea.title,
        "summary": idea.summary,
        "body_html": idea.body_html,
        "status": idea.status,
        "visibility": idea.visibility,
        "organisation": idea.organisation,
        "created_at": idea.created_at,
        "support_count": idea.support_count,
        "agree_count": idea.agree_count,
        "disagree_count": idea.disagree_count,
        "pass_count": idea.pass_count,
        "comment_count": idea.comment_count,
    }
    if labels:
        record["sector"] = idea.organisation_sector.name if idea.organisation_sector else ""
        record["tags"] = ";".join(t.tag.name for t in idea.tagged_items.all())
    return record
