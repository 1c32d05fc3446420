"""The review workflow's fields. On SQLite, Django rebuilds annotations_annotation to
add a column with a default, which drops the full-text triggers of 0009: they are
created again here (the FTS table itself is kept, with the same ids)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from annotations.migrations import _fulltext_triggers


class Migration(migrations.Migration):

    dependencies = [
        ('annotations', '0009_annotation_fulltext'),
        ('corpus', '0007_team_review_setting'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='annotation',
            name='review_reason',
            field=models.CharField(blank=True, help_text='Why it was rejected, for its author.', max_length=500),
        ),
        migrations.AddField(
            model_name='annotation',
            name='review_status',
            field=models.CharField(choices=[('draft', 'Draft'), ('submitted', 'Awaiting review'), ('approved', 'Approved'), ('rejected', 'Rejected')], default='approved', help_text='Draft, awaiting review, approved or rejected.', max_length=10),
        ),
        migrations.AddField(
            model_name='annotation',
            name='reviewed_at',
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='annotation',
            name='reviewed_by',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddIndex(
            model_name='annotation',
            index=models.Index(fields=['team', 'review_status'], name='annotation_review_idx'),
        ),
        migrations.RunPython(
            _fulltext_triggers.recreate, migrations.RunPython.noop
        ),
    ]
