"""Suspensions move from ideas to consult, beside the roles they limit: the
table keeps its name (db_table), so only Django's record of which app owns
it changes; nothing in the database does."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('consult', '0002_call_data_attribution'),
        ('ideas', '0003_polisimport'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Suspension',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('until', models.DateTimeField()),
                        ('reason', models.CharField(max_length=255)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('mission', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='suspensions', to='consult.missionpage')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='suspensions', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'ideas_suspension',
                        'indexes': [models.Index(fields=['user', 'mission', 'until'], name='suspension_lookup')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
