from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("catalogue.urls")),
]

handler400 = "catalogue.views.errors.bad_request"
handler404 = "catalogue.views.errors.not_found"
handler500 = "catalogue.views.errors.server_error"
