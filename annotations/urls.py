from django.urls import path, register_converter

from annotations.views import (
    annotations,
    browse,
    curation,
    exchange,
    imports,
    links,
    lookups,
    review,
    search,
    sharing,
    tags,
    teams,
)
from config.converters import IdConverter

register_converter(IdConverter, "id")

app_name = "annotations"
urlpatterns = [
    path("articles/<slug:slug>/annotate/", annotations.annotation_create, name="create"),
    path("articles/<slug:slug>/sharing/", sharing.article_sharing, name="article-sharing"),
    path("annotations/", annotations.annotation_list, name="list"),
    path("annotations/bin/", annotations.annotation_bin, name="bin"),
    path("annotations/export/", exchange.annotation_export, name="export"),
    path("annotations/import/", exchange.annotation_import, name="import-annotations"),
    path("settings/", exchange.user_settings, name="settings"),
    path("settings/tokens/", exchange.api_token_create, name="token-create"),
    path("settings/tokens/<id:pk>/revoke/", exchange.api_token_revoke, name="token-revoke"),
    path("annotations/bin/empty/", annotations.annotation_bin_empty, name="bin-empty"),
    path("search/", search.search, name="search"),
    path("annotations/<id:pk>/", curation.annotation_detail, name="detail"),
    path("annotations/<id:pk>/submit/", curation.annotation_submit, name="submit"),
    path("annotations/<id:pk>/approve/", curation.annotation_approve, name="approve"),
    path("annotations/<id:pk>/reject/", curation.annotation_reject, name="reject"),
    path(
        "annotations/<id:pk>/history/<id:version_id>/restore/",
        curation.annotation_version_restore_view,
        name="restore-version",
    ),
    path("annotations/<id:pk>/edit/", annotations.annotation_edit, name="edit"),
    path("annotations/<id:pk>/reattach/", annotations.annotation_reattach, name="reattach"),
    path("annotations/<id:pk>/delete/", annotations.annotation_delete, name="delete"),
    path("annotations/<id:pk>/link/", links.annotation_link, name="link"),
    path("links/<id:pk>/remove/", links.link_remove, name="unlink"),
    path("links/<id:pk>/restore/", links.link_restore, name="relink"),
    path("annotations/<id:pk>/restore/", annotations.annotation_restore, name="restore"),
    path("regions/", browse.region_list, name="region-list"),
    path("regions/<id:pk>/", browse.region_detail, name="region-detail"),
    path("sources/", browse.source_list, name="source-list"),
    path("sources/<id:pk>/", browse.source_detail, name="source-detail"),
    path("overview/", browse.overview, name="overview"),
    path("import/", imports.import_page, name="import"),
    path("import/<id:pk>/", imports.import_job, name="import-job"),
    path("import/<id:pk>/status/", imports.import_job_status, name="import-job-status"),
    path("tags/", tags.tag_list, name="tag-list"),
    path("tags/<str:slug>/", tags.tag_detail, name="tag-detail"),
    path("tags/<str:slug>/rename/", tags.tag_rename, name="tag-rename"),
    path("teams/", teams.team_list, name="team-list"),
    path("teams/<slug:slug>/", teams.team_detail, name="team-detail"),
    path("teams/<slug:slug>/review/", review.review_page, name="team-review"),
    path("teams/<slug:slug>/review/adopt/", review.reading_adopt, name="team-review-adopt"),
    path("teams/<slug:slug>/review/setting/", review.review_setting, name="team-review-setting"),
    path("teams/<slug:slug>/activity/", review.activity_page, name="team-activity"),
    path("teams/<slug:slug>/members/", teams.membership_add, name="membership-add"),
    path("teams/<slug:slug>/members/<id:pk>/role/", teams.membership_role, name="membership-role"),
    path(
        "teams/<slug:slug>/members/<id:pk>/remove/",
        teams.membership_remove,
        name="membership-remove",
    ),
    # The annotation form's type-ahead and suggestions. Their paths reach the script
    # through data-* attributes of the page, never written in it: /api/ is kept free
    # for the W3C Web Annotation Protocol.
    path("lookup/regions/", lookups.region_search, name="region-search"),
    path("lookup/sources/", lookups.source_search, name="source-search"),
    path("lookup/suggest/", lookups.passage_suggestions, name="suggest"),
]
