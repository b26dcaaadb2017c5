"""Content that needs an editor's attention, for the admin index and the collective's form."""

import re
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from collective.localization import language_name
from collective.translations import status

# Numbers written as words, Dutch and English, up to what a collective of organizations might
# have. "een" is left out: it is also the Dutch article ("een aantal organisaties").
NUMBER_WORDS = {
    word: number
    for number, words in enumerate(
        [
            (),
            ("één", "one"),
            ("twee", "two"),
            ("drie", "three"),
            ("vier", "four"),
            ("vijf", "five"),
            ("zes", "six"),
            ("zeven", "seven"),
            ("acht", "eight"),
            ("negen", "nine"),
            ("tien", "ten"),
            ("elf", "eleven"),
            ("twaalf", "twelve"),
        ]
    )
    for word in words
}
# A count of members: a small number, in digits or words, at most two words before a word
# for organizations or members ("5 kinderrechtenorganisaties", "six children's rights
# organizations", "zeven leden"). Other numbers in the text (a year, "25 jaar", "25 jaar
# lidmaatschap") are not counts.
# A word of time between the number and the noun makes it a duration ("3 jaar lid").
TIME_WORDS = (
    "jaar|jaren|maand|maanden|week|weken|dag|dagen|decennium|decennia|"
    "years?|months?|weeks?|days?|decades?"
)
STATED_COUNT = re.compile(
    rf"(?<![\w.,])(\d{{1,3}}|{'|'.join(NUMBER_WORDS)})(?![\w.,])"
    rf"(?:\s+(?!(?:{TIME_WORDS})\b)[\w'\u2019-]+){{0,2}}?"
    r"\s+[\w'\u2019-]*(?:organisati|organizati|leden\b|members?\b|lid\b)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Item:
    label: str
    count: int
    url: str


def stated_numbers(collective):
    """{language: [member counts]} stated in the collective's introduction, per language."""
    return {
        code: [_number(n) for n in STATED_COUNT.findall(status.text(collective, "intro", code))]
        for code, _name in settings.LANGUAGES
    }


def _number(found):
    return int(found) if found.isdigit() else NUMBER_WORDS[found.lower()]


def member_count_warning(collective):
    """A warning when the introduction states a number that is not the current member count."""
    from organizations.models import MemberOrganization

    current = MemberOrganization.objects.current().count()
    stated = {code: numbers for code, numbers in stated_numbers(collective).items() if numbers}
    wrong = [code for code, numbers in stated.items() if current not in numbers]
    if not wrong:
        return None
    numbers = sorted({n for code in wrong for n in stated[code]})
    return _(
        "The introduction (%(languages)s) mentions %(numbers)s, but the collective has "
        "%(count)s current members. Update the introduction if the number is out of date."
    ) % {
        "languages": ", ".join(str(language_name(c)) for c in wrong),
        "numbers": ", ".join(map(str, numbers)),
        "count": current,
    }


def items():
    """Everything that needs attention, each with the number of objects and where to go."""
    from collective.models import Collective
    from organizations.models import AdvisoryBody, MemberOrganization

    found = []
    for model in (MemberOrganization, AdvisoryBody):
        found += _organization_items(model)
    found += _translation_items()
    collective = Collective.load()
    warning = collective and member_count_warning(collective)
    if warning:
        url = reverse("admin:collective_collective_change", args=[collective.pk])
        found.append(Item(warning, 1, url))
    return [item for item in found if item.count]


def _organization_items(model):
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    source = status.source_language()
    without_description = model.objects.filter(status.missing_q(model, source, ["description"]))
    return [
        Item(
            _("%(things)s without a description") % {"things": opts.verbose_name_plural},
            without_description.count(),
            f"{changelist}?translation={source}.missing.description",
        ),
        Item(
            _("%(things)s without a logo") % {"things": opts.verbose_name_plural},
            model.objects.filter(logo="").count(),
            f"{changelist}?logo__isempty=1",
        ),
    ]


def _translation_items():
    rows = status.matrix()
    overview = reverse("translations:overview")
    result = []
    for code in status.target_languages():
        done, total, _percent = status.completion(rows, code)
        name = language_name(code)
        label = _("texts missing or outdated in %(language)s") % {"language": name}
        result.append(Item(label, total - done, overview))
    return result
