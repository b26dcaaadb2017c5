import re
from dataclasses import dataclass

from adminsortable2.admin import SortableAdminMixin
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import PAGE_VAR
from django.contrib.admin.widgets import AdminFileWidget
from django.db import models
from django.http import HttpResponseBadRequest, HttpResponseNotAllowed, QueryDict
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin
from modeltranslation.utils import get_translation_fields
from simple_history.admin import SimpleHistoryAdmin

from collective.editing.admin import EditingAdminMixin
from collective.editing.drafts import SAVE_DRAFT
from collective.translations.admin import TranslationStateAdminMixin, TranslationStateFilter

from . import ordering
from .images import LogoFormField, delete_logo_files, uploaded_as
from .models import WEB_ADDRESS_MESSAGE, AdvisoryBody, FormerSlug, MemberOrganization

# What a ↑ or ↓ button posts: the row's id and the direction.
MOVE_VALUE = re.compile(r"(?P<pk>[0-9]+):(?P<direction>up|down)")
MOVED_ROW_GONE = _(
    "What you wanted to move no longer exists: someone may have deleted it meanwhile. "
    "Nothing was moved."
)
AT_THE_TOP = _("%(name)s is already at the top.")
AT_THE_BOTTOM = _("%(name)s is already at the bottom.")


@dataclass(frozen=True)
class StoredLogo:
    """The current logo as the form names it: its address, and its name as it was uploaded."""

    url: str
    name: str

    def __str__(self):
        return self.name


class LogoWidget(AdminFileWidget):
    """The admin's file input, naming the current logo without the hash the site adds."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if context["widget"]["is_initial"]:
            context["widget"]["value"] = StoredLogo(value.url, uploaded_as(value.name))
        return context


def organization_fieldsets(*main_fields, extra=()):
    return [
        (None, {"fields": main_fields}),
        (_("Logo and website"), {"fields": ["logo", "website"]}),
        *extra,
        (_("Publication"), {"fields": ["is_published"]}),
        (_("Advanced"), {"fields": ["slug", "former_addresses"], "classes": ["collapse"]}),
    ]


class OrganizationAdmin(
    SortableAdminMixin,
    EditingAdminMixin,
    TranslationStateAdminMixin,
    SimpleHistoryAdmin,
    TabbedTranslationAdmin,
):
    """What the admins of member organizations and advisory bodies share.

    Editors reorder by dragging a row's handle, or with the keyboard through the up and down
    buttons; both save each moved row, so the order's history is kept, in one transaction that
    locks the rows (see ordering).
    """

    list_display = ["name", "is_published", "translation_state", "move_buttons"]
    list_editable = ["is_published"]
    list_filter = [
        "is_published",
        TranslationStateFilter,
        ("logo", admin.EmptyFieldListFilter),
    ]
    search_fields = get_translation_fields("name")
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["former_addresses"]
    fieldsets = organization_fieldsets("name", "description")
    formfield_overrides = {
        # A website typed without a scheme means https (Django 6's default too). A plain
        # input: the admin's own shows the typed value as "Current" after a refused save.
        models.URLField: {
            "assume_scheme": "https",
            "widget": forms.URLInput(attrs={"class": "vURLField"}),
            # The form's own check comes first; it says what the model's check says.
            "error_messages": {"invalid": WEB_ADDRESS_MESSAGE},
        },
        models.ImageField: {"form_class": LogoFormField, "widget": LogoWidget},
    }

    def get_changeform_initial_data(self, request):
        """A new organization starts unpublished: it is previewed and translated first.

        Ticking "published" is the explicit step that shows it to visitors.
        """
        return {"is_published": False, **super().get_changeform_initial_data(request)}

    def get_list_display(self, request):
        """Without the right to change, no drag handles or ↑/↓ buttons that would do nothing.

        The buttons come last: get_changelist_instance may leave them out once it knows what
        the list shows, and without a column after them no other column changes its number
        (the list's sort parameter counts columns).
        """
        columns = super().get_list_display(request)
        if not self.has_change_permission(request):
            return [column for column in columns if column not in ("_reorder_", "move_buttons")]
        if "move_buttons" in columns:
            columns = [column for column in columns if column != "move_buttons"]
            columns.append("move_buttons")
        return columns

    def get_actions(self, request):
        """The sorting package's "move to page" actions only with a page number it can read.

        It reads the list's page number as a whole number, where Django's list shows the first
        page for anything else: such a list offers the other actions, without moves to pages.
        """
        try:
            int(request.GET.get(PAGE_VAR, 1))
        except ValueError:
            return super(SortableAdminMixin, self).get_actions(request)
        return super().get_actions(request)

    def get_changelist_instance(self, request):
        """The list, with ↑/↓ buttons only where they move rows as the list shows them.

        They are offered when the list shows every row in position order. With a search, a
        filter or another sort, the row a button would swap with may be one the list leaves
        out or shows elsewhere. The first row's ↑ and the last row's ↓ are shown disabled.
        """
        changelist = super().get_changelist_instance(request)
        columns = changelist.list_display
        offered = "move_buttons" in columns and self._every_row_in_order(changelist)
        changelist.offers_move_buttons = offered  # read by the template for its help text
        if offered:
            buttons = self._move_buttons_column()
            changelist.list_display = [buttons if c == "move_buttons" else c for c in columns]
        else:
            changelist.list_display = [c for c in columns if c != "move_buttons"]
        return changelist

    def _every_row_in_order(self, changelist):
        order = changelist.queryset.query.order_by
        return (
            not changelist.is_popup
            and not changelist.query
            and not changelist.get_filters_params()
            and bool(order)
            and order[0] == self.default_order_field
            # One page, or all of them: a move past a page's edge takes the row out of sight.
            and (not changelist.multi_page or (changelist.show_all and changelist.can_show_all))
        )

    def _move_buttons_column(self):
        """move_buttons for one list: knowing the first and last row, once for all rows."""
        first, last = ordering.edges(self.model)

        @admin.display(description=_("move"))
        def move_buttons(obj):
            return self.move_buttons(obj, first=obj.pk == first, last=obj.pk == last)

        return move_buttons

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_reorder": self.has_change_permission(request),
        }
        return super().changelist_view(request, extra_context)

    @admin.display(description=_("former addresses"))
    def former_addresses(self, obj):
        slugs = sorted(former.slug for former in obj.former_slugs.all()) if obj.pk else []
        if not slugs:
            return _("None: the page has always had this address.")
        return _("%(slugs)s. Links to these earlier addresses lead to this page.") % {
            "slugs": ", ".join(slugs)
        }

    class Media(TranslationStateAdminMixin.Media):
        # Defining Media here hides the mixin's, so its files are named again.
        css = {"all": [*TranslationStateAdminMixin.Media.css["all"], "organizations/admin.css"]}
        js = [*TranslationStateAdminMixin.Media.js, "organizations/reorder.js"]

    def get_urls(self):
        return [
            path(
                "move/",
                self.admin_site.admin_view(self.move_view),
                name=f"{self._url_prefix()}_move",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=_("move"))
    def move_buttons(self, obj, first=False, last=False):
        return _move_button(obj, "up", _("Move %(name)s up"), "↑", disabled=first) + (
            _move_button(obj, "down", _("Move %(name)s down"), "↓", disabled=last)
        )

    def move_view(self, request):
        if request.method in ("GET", "HEAD"):
            # Where signing in again leads after a move was posted with an ended session:
            # nothing was moved, and the list is where the editor was.
            if request.method == "GET" and self.has_change_permission(request):
                messages.warning(request, gettext("Nothing was moved."))
            return redirect(self._back_to_the_list(request))
        if request.method != "POST":
            return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
        # "<id>:up" or "<id>:down", as the buttons post it, with ASCII digits only:
        # str.isdigit() also takes "²", which int() refuses, and \d takes other scripts' digits.
        asked = MOVE_VALUE.fullmatch(request.POST.get("move", ""))
        if asked is None:
            return HttpResponseBadRequest(gettext("This request does not say which row to move."))
        pk, direction = asked["pk"], asked["direction"]
        back = self._back_to_the_list(request)
        obj = self.model._default_manager.filter(pk=pk).first()
        if obj is not None and not self.has_change_permission(request, obj):
            return redirect(back)
        outcome = ordering.move(obj, direction) if obj is not None else ordering.GONE
        if outcome == ordering.GONE:
            messages.error(request, MOVED_ROW_GONE)
            return redirect(back)
        if outcome == ordering.AT_THE_EDGE:
            message = AT_THE_TOP if direction == "up" else AT_THE_BOTTOM
            messages.warning(request, message % {"name": obj})
            return redirect(back)
        messages.success(request, _("%(name)s was moved.") % {"name": obj})
        # Back on the button just pressed (browsers focus a fragment's target), so a keyboard
        # user can press it again instead of starting from the top of the page; on the other
        # one once the row has reached the end, where the button pressed is disabled.
        first, last = ordering.edges(self.model)
        if obj.pk == (first if direction == "up" else last):
            direction = "down" if direction == "up" else "up"
        return redirect(f"{back}#move-{obj.pk}-{direction}")

    def _back_to_the_list(self, request):
        """The list as the form that posted here showed it: its sort, page and "show all".

        The admin's preserved filters (the list's query string), as the list passes them to
        the pages it links to, taken whole: Django's add_preserved_filters drops "all=".
        """
        shown = QueryDict(request.GET.get("_changelist_filters", ""))
        url = self._changelist_url()
        return f"{url}?{shown.urlencode()}" if shown else url

    def delete_file_of_refused_save(self, field, name):
        """A logo goes with its renditions, stored once the row was (see signals)."""
        delete_logo_files(name)

    def save_model(self, request, obj, form, change):
        published = "slug" in form.changed_data and SAVE_DRAFT not in request.POST
        taken = FormerSlug.target(self.model, obj.slug, public=False) if published else None
        super().save_model(request, obj, form, change)
        if getattr(form.cleaned_data.get("logo"), "is_animated", False):
            messages.info(
                request,
                _("The logo was an animation; it is shown as its first picture, without motion."),
            )
        if taken is not None and taken.pk != obj.pk:
            messages.warning(
                request,
                _(
                    "The address “%(slug)s” used to lead to %(other)s. Old links to it now "
                    "lead to %(name)s."
                )
                % {"slug": obj.slug, "other": taken, "name": obj},
            )

    def get_changelist_form(self, request, **kwargs):
        """Rows edited in the list: each checkbox says which organization it publishes."""
        base = super().get_changelist_form(request, **kwargs)

        class RowForm(base):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                if "is_published" in self.fields:
                    field = self.fields["is_published"]
                    field.widget.attrs["aria-label"] = _("%(name)s published") % {
                        "name": self.instance
                    }
                    # The value the page showed is posted too, so a row this editor left
                    # alone is not saved: a stale page cannot undo someone else's change.
                    field.show_hidden_initial = True

        return RowForm

    def _changelist_url(self):
        return reverse(f"admin:{self._url_prefix()}_changelist")

    def _update_order(self, updated_items, extra_model_filters):
        """Save each dragged row (the library's bulk update would bypass history and signals).

        One transaction with the rows locked: all are placed, or none (the library answers a
        refused request with 400).
        """
        rows = self.model._default_manager.filter(**extra_model_filters)
        return ordering.place(rows, updated_items)


def _move_button(obj, direction, label, arrow, disabled=False):
    """One ↑ or ↓ button; disabled on the first row's ↑ and the last row's ↓, which would
    move nothing (shown all the same, so the buttons stay in their columns)."""
    return format_html(
        '<button type="submit" form="reorder-form" name="move" value="{pk}:{direction}" '
        'id="move-{pk}-{direction}" class="move-button" aria-label="{label}"{disabled}>'
        "{arrow}</button>",
        pk=obj.pk,
        direction=direction,
        label=label % {"name": obj},
        disabled=mark_safe(" disabled") if disabled else "",
        arrow=arrow,
    )


@admin.register(MemberOrganization)
class MemberOrganizationAdmin(OrganizationAdmin):
    list_display = ["name", "membership", "is_published", "translation_state", "move_buttons"]
    fieldsets = organization_fieldsets(
        "name",
        "description",
        extra=[(_("Membership"), {"fields": ["joined", "left"]})],
    )

    @admin.display(description=_("membership"))
    def membership(self, obj):
        if obj.is_former:
            return _("former member (left %(date)s)") % {"date": date_format(obj.left)}
        if obj.joins_later():
            return _("from %(date)s (not shown before)") % {"date": date_format(obj.joined)}
        if obj.left:
            return _("until %(date)s") % {"date": date_format(obj.left)}
        if obj.joined:
            return _("since %(date)s") % {"date": date_format(obj.joined)}
        return "-"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if obj.is_published and obj.joins_later() and SAVE_DRAFT not in request.POST:
            messages.info(
                request,
                _(
                    "%(name)s joins on %(date)s: visitors see it on “Who are we” and on its own "
                    "page from that day."
                )
                % {"name": obj, "date": date_format(obj.joined)},
            )
        if obj.is_published and obj.left and not obj.is_former and SAVE_DRAFT not in request.POST:
            messages.info(
                request,
                _(
                    "%(name)s leaves on %(date)s: from that day “Who are we” lists it under "
                    "former members."
                )
                % {"name": obj, "date": date_format(obj.left)},
            )


@admin.register(AdvisoryBody)
class AdvisoryBodyAdmin(OrganizationAdmin):
    fieldsets = organization_fieldsets("name", "role", "description")
