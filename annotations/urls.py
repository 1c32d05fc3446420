from django.urls import path

from annotations import views

app_name = "annotations"
urlpatterns = [
    path("articles/<slug:slug>/annotate/", views.annotation_create, name="create"),
    path("annotations/", views.annotation_list, name="list"),
    path("annotations/<int:pk>/edit/", views.annotation_edit, name="edit"),
    path("annotations/<int:pk>/delete/", views.annotation_delete, name="delete"),
    path("teams/", views.team_list, name="team-list"),
    path("teams/<slug:slug>/", views.team_detail, name="team-detail"),
    path("teams/<slug:slug>/members/", views.membership_add, name="membership-add"),
    path("teams/<slug:slug>/members/<int:pk>/role/", views.membership_role, name="membership-role"),
    path(
        "teams/<slug:slug>/members/<int:pk>/remove/",
        views.membership_remove,
        name="membership-remove",
    ),
    path("api/regions/", views.region_search, name="region-search"),
    path("api/sources/", views.source_search, name="source-search"),
    path("api/suggest/", views.passage_suggestions, name="suggest"),
]
