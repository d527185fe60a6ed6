"""Flags a person made, in their data download; on deleting their account
the flags stay (they counted towards holds, and the queue's history must
keep its meaning) but their free text, which may say who wrote it, goes."""

from people import data_rights

from ideas import kinds

from .models import Flag


def flag_rows(user):
    for f in Flag.objects.filter(user=user).select_related("content_type").order_by("pk").iterator():
        kind = kinds.find(f.content_type.model_class())
        # {"idea": 7} as before for ideas and comments, {"<kind>": id} for any other kind
        yield {kind.name if kind else f.content_type.model: f.object_id, "reason": f.reason, "text": f.text,
               "created_at": f.created_at}


def erase(user, remove_contributions):
    Flag.objects.filter(user=user).exclude(text="").update(text="")


def register():
    data_rights.register("flags", flag_rows, erase, order=30)
