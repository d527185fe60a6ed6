"""Flags, the audit log and suspensions now belong to moderation and
consult (their migrations create them in Django's state over the same
tables); here they leave the ideas app's state. No database change."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('ideas', '0003_polisimport'),
        ('consult', '0003_suspension'),
        ('moderation', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='Flag'),
                migrations.DeleteModel(name='ModerationAction'),
                migrations.DeleteModel(name='Suspension'),
            ],
            database_operations=[],
        ),
    ]
