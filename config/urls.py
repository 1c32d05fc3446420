from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

handler400 = "corpus.views.bad_request"
handler403 = "corpus.views.permission_denied"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("annotations.urls")),
    path("", include("corpus.urls")),
]
