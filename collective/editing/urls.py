from django.contrib import admin
from django.urls import path

from . import views

app_name = "editing"

urlpatterns = [
    path(
        "<slug:app_label>/<slug:model_name>/<int:pk>/<slug:language>/",
        admin.site.admin_view(views.preview),
        name="preview",
    ),
]
