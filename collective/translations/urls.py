from django.urls import path

from . import views

app_name = "translations"

urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path(
        "<slug:app_label>/<slug:model_name>/<int:pk>/<slug:language>/",
        views.TranslateView.as_view(),
        name="translate",
    ),
]
