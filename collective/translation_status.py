"""Which translated fields of an object are filled in, per language.

Works for every model registered with modeltranslation, from its registry: no model is named here.
"""

from functools import reduce
from operator import or_

from django.conf import settings
from django.db.models import Q
from modeltranslation.translator import translator
from modeltranslation.utils import build_localized_fieldname


def language_codes():
    return [code for code, _name in settings.LANGUAGES]


def translated_fields(model):
    """Names of the model's translated fields, in declaration order."""
    return tuple(translator.get_options_for_model(model).all_fields)


def missing_fields(obj, language):
    """The translated fields of obj that have no text in the given language."""
    return [
        field
        for field in translated_fields(type(obj))
        if not getattr(obj, build_localized_fieldname(field, language))
    ]


def missing_q(model, language):
    """A filter for the rows of model that miss any translated field in the given language."""
    conditions = []
    for field in translated_fields(model):
        column = build_localized_fieldname(field, language)
        conditions += [Q(**{column: ""}), Q(**{f"{column}__isnull": True})]
    return reduce(or_, conditions)
