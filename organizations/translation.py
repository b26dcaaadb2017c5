from django.conf import settings
from modeltranslation.translator import TranslationOptions, register
from simple_history import register as record_history

from .models import AdvisoryBody, MemberOrganization


class OrganizationTranslationOptions(TranslationOptions):
    fields = ("name", "description")
    required_languages = (settings.MODELTRANSLATION_DEFAULT_LANGUAGE,)


@register(MemberOrganization)
class MemberOrganizationTranslationOptions(OrganizationTranslationOptions):
    pass


@register(AdvisoryBody)
class AdvisoryBodyTranslationOptions(OrganizationTranslationOptions):
    fields = ("role",)


# History is registered after translation, so the historical models get every language's column.
record_history(MemberOrganization)
record_history(AdvisoryBody)
