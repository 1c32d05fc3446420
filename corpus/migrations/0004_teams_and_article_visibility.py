"""Teams move to the corpus (articles now belong to them), and articles get a team,
a visibility and a source format.

The move changes no table: the corpus takes over the annotation app's tables
(``annotations_team``, ``annotations_membership``) in Django's state only, and the
content types (and so the permissions) follow.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("team", "membership"):
        if ContentType.objects.filter(app_label="corpus", model=model).exists():
            continue
        ContentType.objects.filter(app_label="annotations", model=model).update(app_label="corpus")


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("corpus", "0003_paragraph_markup"),
        ("annotations", "0005_reanchoring_bin_vocabularies"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="Team",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.CharField(max_length=200)),
                        ("slug", models.SlugField(max_length=100, unique=True)),
                        ("created", models.DateTimeField(auto_now_add=True)),
                    ],
                    options={"db_table": "annotations_team", "ordering": ["name"]},
                ),
                migrations.CreateModel(
                    name="Membership",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("role", models.CharField(choices=[("owner", "Owner"), ("editor", "Editor"), ("annotator", "Annotator"), ("viewer", "Viewer")], default="annotator", max_length=16)),
                        ("joined", models.DateTimeField(auto_now_add=True)),
                        ("team", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="memberships", to="corpus.team")),
                        ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="memberships", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "db_table": "annotations_membership",
                        "ordering": ["team", "user__username"],
                        "constraints": [models.UniqueConstraint(fields=("user", "team"), name="membership_unique")],
                    },
                ),
                migrations.AddField(
                    model_name="team",
                    name="members",
                    field=models.ManyToManyField(related_name="teams", through="corpus.Membership", to=settings.AUTH_USER_MODEL),
                ),
            ],
        ),
        migrations.RunPython(move_content_types, migrations.RunPython.noop),
        migrations.AddField(
            model_name="article",
            name="team",
            field=models.ForeignKey(blank=True, help_text="The team whose article it is; empty for the public corpus.", null=True, on_delete=django.db.models.deletion.PROTECT, related_name="articles", to="corpus.team"),
        ),
        migrations.AddField(
            model_name="article",
            name="visibility",
            field=models.CharField(choices=[("public", "Public: everyone"), ("team", "Team: the team's members")], default="public", help_text="A team article is seen by the team's members alone, annotations included.", max_length=10),
        ),
        migrations.AddField(
            model_name="article",
            name="source_format",
            field=models.CharField(choices=[("text", "Text"), ("markdown", "Markdown"), ("html", "Web page"), ("pdf", "PDF")], default="text", help_text="What the file was: raw_text holds the page itself for a web page, and the PDF's text layer for a PDF.", max_length=10),
        ),
        migrations.RunSQL(
            "UPDATE corpus_article SET source_format = 'markdown' WHERE markup_format = 'markdown'",
            migrations.RunSQL.noop,
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(fields=["team", "visibility"], name="article_team_idx"),
        ),
        migrations.AddConstraint(
            model_name="article",
            constraint=models.CheckConstraint(condition=models.Q(("visibility", "team"), _negated=True) | models.Q(("team__isnull", False)), name="article_team_visibility_has_team", violation_error_message="A team article needs a team."),
        ),
    ]
