from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from annotations.api import api
from annotations.views import reader
from config.auth import AdminSignInForm, SignInForm
from corpus import views as corpus_views

handler400 = "config.views.bad_request"
handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"

# The reader's pages address the corpus (its list and its articles), so their names
# are the corpus's; they show annotations too, so their views are the annotation
# app's (the corpus knows nothing of annotations).
corpus_pages = (
    [
        path("", reader.ArticleListView.as_view(), name="article-list"),
        path("articles/<slug:slug>/", reader.article_detail, name="article-detail"),
        path("articles/<slug:slug>/text/", corpus_views.article_text, name="article-text"),
    ],
    "corpus",
)

admin.site.login_form = AdminSignInForm

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=SignInForm),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("annotations.urls")),
    path("", include(corpus_pages)),
]
