from django.conf import settings
from modeltranslation.translator import TranslationOptions, register

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
