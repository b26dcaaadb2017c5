from django.urls import path

from . import exchange_views, views

app_name = "translations"

urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("export/", exchange_views.ExportView.as_view(), name="export"),
    path("import/", exchange_views.ImportView.as_view(), name="import"),
    path(
        "<slug:app_label>/<slug:model_name>/<int:pk>/<slug:language>/",
        views.TranslateView.as_view(),
        name="translate",
    ),
]
