"""Rendering an object in its public page layout, for staff, before it is published."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from collective.localization import Alternate

from .drafts import draft_for, with_draft


def preview_url(obj, language):
    opts = obj._meta
    return reverse("editing:preview", args=[opts.app_label, opts.model_name, obj.pk, language])


def public_url(obj, language):
    """The object's public address in a language, or None while visitors cannot see it."""
    if not _is_public(obj):
        return None
    with translation.override(language):
        return obj.get_absolute_url()


def render_preview(request, obj, language):
    """The public page of obj (with its draft, if any) in a language, marked as a preview."""
    draft = draft_for(obj)
    shown = with_draft(obj, draft)
    with translation.override(language):  # the page's title and metadata too, not only its text
        template, context = _page(request, shown)
        context.update(
            preview=True,
            preview_note=_preview_note(obj, draft),
            alternates=[
                Alternate(
                    code=code,
                    name=get_language_info(code)["name_local"],
                    url=preview_url(obj, code),
                    is_active=code == language,
                )
                for code, _name in settings.LANGUAGES
            ],
        )
        return render_to_string(template, context, request=request)


def _preview_note(obj, draft):
    if draft is not None:
        return _("Preview of a draft: visitors do not see these changes yet.")
    if not getattr(obj, "is_published", True):
        return _("Preview: this page is not published, so visitors cannot see it.")
    if not _is_public(obj):
        # Written as the page's own "(member from …)" line below it, in every language.
        return _("Preview: visitors see this page from %(date)s, the day it joins.") % {
            "date": date_format(obj.joined, "j F Y")
        }
    return _("Preview: this is the published version.")


def _is_public(obj):
    """Whether visitors can open the object's page; the collective's page always."""
    is_public = getattr(obj, "is_public", None)
    return is_public() if is_public is not None else True


def _page(request, obj):
    from collective.models import Collective
    from collective.views import who_are_we_context
    from organizations.views import organization_context

    if isinstance(obj, Collective):
        return "collective/who_are_we.html", who_are_we_context(request, obj)
    return "organizations/organization_detail.html", organization_context(request, obj)
