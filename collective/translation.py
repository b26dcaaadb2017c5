from django.conf import settings
from modeltranslation.translator import TranslationOptions, register
from simple_history import register as record_history

from .models import Collective


@register(Collective)
class CollectiveTranslationOptions(TranslationOptions):
    fields = ("name", "page_title", "intro", "body")
    required_languages = (settings.MODELTRANSLATION_DEFAULT_LANGUAGE,)


# History is registered after translation, so the historical models get every language's column.
record_history(Collective)
