"""Flags and the audit log move from ideas to this app, as they were: the
tables keep their names (db_table), so only Django's record of which app
owns them changes; nothing in the database does."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('consult', '0003_suspension'),
        ('ideas', '0003_polisimport'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Flag',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('reason', models.CharField(choices=[('spam', 'Spam'), ('abuse', 'Abuse'), ('off_topic', 'Off-topic'), ('personal_data', 'Personal data'), ('other', 'Other')], max_length=20)),
                        ('text', models.CharField(blank=True, max_length=500)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('resolved_at', models.DateTimeField(blank=True, null=True)),
                        ('comment', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='flags', to='ideas.comment')),
                        ('idea', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='flags', to='ideas.idea')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='flags', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'ideas_flag',
                        'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('idea__isnull', False), ('comment__isnull', True)), models.Q(('idea__isnull', True), ('comment__isnull', False)), _connector='OR'), name='flag_one_target'), models.UniqueConstraint(condition=models.Q(('idea__isnull', False)), fields=('user', 'idea'), name='flag_idea_once'), models.UniqueConstraint(condition=models.Q(('comment__isnull', False)), fields=('user', 'comment'), name='flag_comment_once')],
                    },
                ),
                migrations.CreateModel(
                    name='ModerationAction',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('approve', 'Approved'), ('hide', 'Hidden'), ('restore', 'Restored'), ('reject', 'Rejected'), ('request_edit', 'Asked the author for an edit'), ('suspend', 'Suspended a person'), ('hold', 'Held for review')], max_length=20)),
                        ('reason', models.CharField(blank=True, max_length=20)),
                        ('reason_text', models.CharField(blank=True, max_length=500)),
                        ('before', models.JSONField(default=dict)),
                        ('after', models.JSONField(default=dict)),
                        ('created_at', models.DateTimeField(auto_now_add=True, db_index=True)),
                        ('comment', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='ideas.comment')),
                        ('idea', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='ideas.idea')),
                        ('mission', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='moderation_actions', to='consult.missionpage')),
                        ('moderator', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('subject', models.ForeignKey(blank=True, help_text='The person whose content or account was acted on.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'ideas_moderationaction',
                        'ordering': ['-created_at', '-pk'],
                        'indexes': [models.Index(fields=['mission', 'created_at'], name='audit_mission_time')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
