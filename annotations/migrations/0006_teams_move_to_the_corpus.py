"""Teams now live in the corpus (corpus.0004): the annotation app lets go of them in
Django's state; the tables stay where they are."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("annotations", "0005_reanchoring_bin_vocabularies"),
        ("corpus", "0004_teams_and_article_visibility"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="annotation",
                    name="team",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="annotations", to="corpus.team"),
                ),
                migrations.RemoveField(model_name="team", name="members"),
                migrations.DeleteModel(name="Membership"),
                migrations.DeleteModel(name="Team"),
            ],
        ),
    ]
