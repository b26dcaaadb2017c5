"""{% organization_card organization %}: one organization in the "Who are we" lists.

    <article class="organization" id="…" aria-labelledby="…-name">
      {logo}
      <div class="organization__body">
        <h3 id="…-name"><a href="{its page}">{name}</a></h3>
        <p class="role">{role}</p>                  advisors with a role only
        {description as prose}                       nothing when it has none
        <p class="website"><a href="…" rel="external">Website of {name}</a></p>
      </div>
    </article>

Written with format_html instead of an included template, as the admin's change list writes
its rows: it renders once per organization, and with hundreds of members a template include
per card was most of the page's rendering time. Every value is escaped by format_html (the
quick one of collective.markup); fallback texts carry their own `lang` (see
collective.localization).
"""

from django import template
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext

from collective.localization import localized, prose
from collective.markup import format_html, html_of

from .logos import logo

register = template.Library()


@register.simple_tag
def organization_card(organization):
    anchor = organization.anchor
    name = localized(organization, "name")
    parts = [
        format_html(
            '<h3 id="{}-name"{}><a href="{}">{}</a></h3>',
            anchor,
            name.lang_attribute,
            organization.get_absolute_url(),
            name,
        )
    ]
    if getattr(organization, "role", ""):
        role = localized(organization, "role")
        parts.append(format_html('<p class="role"{}>{}</p>', role.lang_attribute, capfirst(role)))
    description = prose(localized(organization, "description"))
    if description:
        parts.append(description)
    if organization.website:
        parts.append(website_link(organization, name))
    return format_html(
        '<article class="organization" id="{}" aria-labelledby="{}-name">\n  {}\n'
        '  <div class="organization__body">\n    {}\n  </div>\n</article>',
        anchor,
        anchor,
        logo(organization),
        mark_safe("\n    ".join(parts)),  # each part is built by format_html above
    )


@register.simple_tag
def website_link(organization, name=None):
    """A link to the organization's own website, named so that it makes sense out of context.

    `name` is the organization's localized name where the caller has it already.
    """
    if not organization.website:
        return ""
    # The name in the page's language, or marked with its own where another stands in.
    name = name or localized(organization, "name")
    if name.is_fallback:
        name = format_html('<span lang="{}">{}</span>', name.language, name)
    label = mark_safe(html_of(gettext("Website of %(name)s")) % {"name": html_of(name)})
    return format_html(
        '<p class="website"><a href="{}" rel="external">{}</a></p>', organization.website, label
    )
