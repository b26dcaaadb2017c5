from django import template

from collective.editing import attention

register = template.Library()


@register.simple_tag
def attention_items():
    """{% attention_items as items %}: what needs an editor's attention, for the admin index."""
    return attention.items()
