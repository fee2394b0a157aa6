"""HTML at "/" (Finnish) and "/sv/", "/en/"; health check outside the language prefixes."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.urls import include, path
from django.views.i18n import set_language

from kotoverkko.core.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    # Machine interfaces live outside the language prefixes: one URL per resource.
    path("api/v1/", include("kotoverkko.api.urls")),
    path("linkedevents/v1/", include("kotoverkko.linkedevents.urls")),
]

urlpatterns += i18n_patterns(
    path("", include("kotoverkko.core.urls")),
    path("", include("kotoverkko.accounts.urls")),
    path("", include("kotoverkko.organisations.urls")),
    path("", include("kotoverkko.activities.urls")),
    path("", include("kotoverkko.situation.urls")),
    path("", include("kotoverkko.signals.urls")),
    path("", include("kotoverkko.cooperation.urls")),
    path("", include("kotoverkko.servicepaths.urls")),
    path("", include("kotoverkko.planning.urls")),
    path("", include("kotoverkko.api.urls_pages")),
    prefix_default_language=False,
)

# Uploaded images: served by Django in development only; in production the web server (or the
# load balancer) serves MEDIA_ROOT, which all app servers share (see README).
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
