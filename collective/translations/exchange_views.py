"""Admin pages to exchange translations with outside translators: download a file, upload one.

An upload is only previewed: the page lists what would change and nothing is written until the
translator presses "Apply". The file waits in the session in between, with a hash that the
Apply form must repeat, so what is applied is exactly the preview that was shown, checked again
against the database as it is by then.
"""

import hashlib

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from ..localization import language_name
from . import exchange, status
from .admin import translate_url
from .diff import word_diff
from .views import TranslatorAccessMixin

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
SESSION_KEY = "translations_import"
OUTCOME_HEADINGS = {
    exchange.APPLIED: gettext_lazy("To apply"),
    exchange.SKIPPED: gettext_lazy("Skipped"),
    exchange.CONFLICT: gettext_lazy("Conflicts: not applied, to review"),
    exchange.REFUSED: gettext_lazy("Refused"),
}


def _target_language_choices():
    return [(code, language_name(code)) for code in status.target_languages()]


def _digest(text):
    return hashlib.sha256(text.encode()).hexdigest()


class ExportForm(forms.Form):
    language = forms.ChoiceField(
        label=gettext_lazy("Translate into"), choices=_target_language_choices
    )
    only = forms.ChoiceField(
        label=gettext_lazy("Texts"),
        choices=list(exchange.SELECTION_LABELS.items()),
        initial=status.MISSING,
    )
    format = forms.ChoiceField(
        label=gettext_lazy("File format"),
        choices=list(exchange.FORMAT_LABELS.items()),
        initial=exchange.XLIFF,
        help_text=gettext_lazy("XLIFF for translation tools; PO for gettext editors like Poedit."),
    )


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "An XLIFF or PO file exported here, with the translations filled in. At most 2 MB."
        ),
    )

    def clean_file(self):
        """Refuse oversize or unreadable files here, so the view only ever sees a checked one."""
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(
                _(
                    "The file is %(size)s; at most %(limit)s can be imported at once. "
                    "Export fewer texts (for example only the missing ones) and try again."
                ),
                params={
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(MAX_UPLOAD_BYTES),
                },
            )
        try:
            self.text = exchange.decode(upload.read())
            self.parsed = exchange.parse(self.text)
        except exchange.ExchangeError as error:
            raise ValidationError(str(error)) from error
        return upload


class ExportView(TranslatorAccessMixin, TemplateView):
    """A form; submitting it (GET: exporting changes nothing) downloads the file."""

    template_name = "translations/export.html"

    def get(self, request, *args, **kwargs):
        if "language" not in request.GET:
            return self.render_to_response(self.get_context_data(form=ExportForm()))
        form = ExportForm(request.GET)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        data = form.cleaned_data
        units = exchange.export_units(data["language"], data["only"])
        if not units:
            # An empty file would reach the translator before anyone noticed.
            messages.info(
                request,
                _("Nothing to export: there are no %(what)s in %(language)s.")
                % {
                    "what": exchange.SELECTION_LABELS[data["only"]],
                    "language": language_name(data["language"]),
                },
            )
            return self.render_to_response(self.get_context_data(form=form))
        return self._download(units, data["language"], data["only"], data["format"])

    @staticmethod
    def _download(units, language, only, file_format):
        filename = exchange.export_filename(language, only, file_format)
        return HttpResponse(
            exchange.serialize(units, language, file_format),
            content_type=exchange.FORMAT_CONTENT_TYPES[file_format],
            headers={"Content-Disposition": content_disposition_header(True, filename)},
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Export translations"), **kwargs)


class ImportView(TranslatorAccessMixin, TemplateView):
    """Upload, preview what would change, then apply (or upload another file)."""

    template_name = "translations/import.html"

    def get(self, request, *args, **kwargs):
        return self._upload_page(UploadForm())

    def post(self, request, *args, **kwargs):
        if "apply" in request.POST:
            return self._apply()
        return self._preview()

    def _upload_page(self, form, error="", http_status=200):
        context = self.get_context_data(form=form, error=error)
        return self.render_to_response(context, status=http_status)

    def _preview(self):
        form = UploadForm(self.request.POST, self.request.FILES)
        if not form.is_valid():
            return self._upload_page(form, http_status=400)
        report = exchange.import_parsed(form.parsed, dry_run=True)
        digest = _digest(form.text)
        self.request.session[SESSION_KEY] = {"text": form.text, "digest": digest}
        return self.render_to_response(
            self.get_context_data(
                report=report,
                counts=self._counts(report),
                to_apply=report.counts()[exchange.APPLIED],
                groups=self._groups(report, report.language),
                digest=digest,
                filename=form.cleaned_data["file"].name,
                language=report.language,
                language_name=language_name(report.language),
                source=status.source_language(),
            )
        )

    def _stored_text(self):
        """The previewed file's text, if the Apply form names the one waiting in the session."""
        stored = self.request.session.get(SESSION_KEY) or {}
        text, digest = stored.get("text"), stored.get("digest")
        if not text or digest != self.request.POST.get("digest") or _digest(text) != digest:
            return None
        return text

    def _apply(self):
        text = self._stored_text()
        if text is None:
            error = _("This preview has expired or another file was uploaded since. Upload again.")
            return self._upload_page(UploadForm(), error=error, http_status=400)
        try:
            report = exchange.import_parsed(exchange.parse(text))
        except exchange.ExchangeError as error:
            return self._upload_page(UploadForm(), error=str(error), http_status=400)
        del self.request.session[SESSION_KEY]
        counts = report.counts()
        needs_review = counts[exchange.CONFLICT] or counts[exchange.REFUSED]
        messages.add_message(
            self.request,
            messages.WARNING if needs_review else messages.SUCCESS,
            _("The file was imported: %(summary)s") % {"summary": report.summary()},
        )
        return redirect("translations:import")

    @staticmethod
    def _counts(report):
        return [
            {"kind": kind, "heading": OUTCOME_HEADINGS[kind], "count": count}
            for kind, count in report.counts().items()
        ]

    @classmethod
    def _groups(cls, report, language):
        return [
            {
                "kind": kind,
                "heading": OUTCOME_HEADINGS[kind],
                "rows": [cls._row(outcome, language) for outcome in report.of_kind(kind)],
                # Skipped units change nothing; folded away, they don't bury what does.
                "folded": kind == exchange.SKIPPED,
            }
            for kind in exchange.OUTCOMES
            if report.of_kind(kind)
        ]

    @staticmethod
    def _row(outcome, language):
        """A unit of the preview; a conflict with what changed and where to resolve it."""
        row = {"outcome": outcome, "source_diff": None, "translate_url": None}
        if outcome.reason == exchange.SOURCE_CHANGED:
            row["source_diff"] = word_diff(outcome.exported_source, outcome.current_source)
        if outcome.kind == exchange.CONFLICT:
            row["translate_url"] = translate_url(outcome.obj, language)
        return row

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Import translations"), **kwargs)
