"""An idea posted without a name is not shown for an organisation any more
(ideas/organisations.py refuses the two together): an organisation's page
lists its ideas beside its members, so an idea by "A participant" for an
organisation of one member named its author. Ideas stored with both keep the
author's choice to be unnamed and lose the organisation; `updated_at` moves
so open data's "updated since" hands the change on. Run
`manage.py search_index --rebuild` afterwards if any were changed."""

from django.db import migrations
from django.utils import timezone


def forwards(apps, schema_editor):
    Idea = apps.get_model("ideas", "Idea")
    Idea.objects.filter(anonymous=True).exclude(on_behalf_of=None, organisation="").update(
        on_behalf_of=None, organisation="", organisation_sector=None, updated_at=timezone.now()
    )


class Migration(migrations.Migration):
    dependencies = [("ideas", "0009_call_page_order_indexes")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
