from django import template

from podium.mailing.subscriptions import offered_lists as lists_of

register = template.Library()


@register.simple_tag
def offered_lists(series) -> list:
    """The lists a reader may subscribe to on the series page."""
    return list(lists_of(series))
