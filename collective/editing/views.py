from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.cache import never_cache

from collective.translations.status import translated_models

from .previews import render_preview


@never_cache
def preview(request, app_label, model_name, pk, language):
    """Staff only: the public page as it would look with the object's draft published."""
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError as error:
        raise Http404 from error
    model_admin = admin.site._registry.get(model)
    previewable = model_admin is not None and model in translated_models()
    if not previewable or language not in dict(settings.LANGUAGES):
        raise Http404
    # Before the lookup: without the right to see these objects, a 404 would tell which exist.
    if not model_admin.has_view_or_change_permission(request):
        raise PermissionDenied
    obj = get_object_or_404(model._default_manager, pk=pk)
    if not model_admin.has_view_or_change_permission(request, obj):
        raise PermissionDenied
    response = HttpResponse(render_preview(request, obj, language))
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
