import pytest
from django.utils import html as django_html
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from collective import markup

VALUES = [
    "plain",
    "<script>alert('x') & \"y\"</script>",
    mark_safe("<b>already HTML</b>"),
    gettext_lazy("Our members"),
    format_lazy("{}", mark_safe("<i>lazy HTML</i>")),
    42,
    None,
    "",
]


@pytest.mark.parametrize("value", VALUES)
def test_format_html_escapes_as_djangos_does(value):
    template = '<p title="{}">{}</p>'
    with translation.override("nl"):
        ours = markup.format_html(template, value, value)
        assert ours == django_html.format_html(template, value, value)
    assert isinstance(ours, SafeString)


def test_a_lazy_translation_is_translated_then_escaped():
    with translation.override("nl"):
        assert markup.html_of(gettext_lazy("Our members")) == "Onze leden"


@pytest.mark.parametrize(
    "text",
    [
        "Eén alinea.",
        'Eerste alinea.\n\nTweede <alinea> & "meer".',
        "Regel een\nregel twee\r\nregel drie\rregel vier",
        "Drie\n\n\n\nlege regels\r\n\r\nertussen",
        "",
        "\n\nbegint leeg\n\n",
    ],
)
def test_paragraphs_are_written_as_djangos_linebreaks_writes_them(text):
    ours = markup.paragraphs(text)
    assert ours == django_html.linebreaks(text, autoescape=True)
    assert isinstance(ours, SafeString)
