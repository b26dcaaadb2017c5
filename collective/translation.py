from django.conf import settings
from modeltranslation.translator import TranslationOptions, register

from .models import Collective


@register(Collective)
class CollectiveTranslationOptions(TranslationOptions):
    fields = ("name", "page_title", "intro", "body")
    required_languages = (settings.MODELTRANSLATION_DEFAULT_LANGUAGE,)
