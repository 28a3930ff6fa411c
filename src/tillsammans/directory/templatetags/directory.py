from django import template
from django.utils.text import capfirst

from tillsammans.directory import schedule as schedule_words

register = template.Library()


@register.filter
def schedule(activity) -> str:
    """{{ activity|schedule }} → "Wednesdays 14:00–16:00"."""
    return schedule_words.schedule_in_words(activity)


@register.filter
def period(activity) -> str:
    """{{ activity|period }} → "Until 31 May 2026" (or "")."""
    return schedule_words.period_in_words(activity)


@register.filter
def day(value) -> str:
    """{{ date|day }} → "Wednesday 7 January 2026" (Swedish: "Onsdag 7 januari 2026")."""
    return capfirst(schedule_words.format_day(value))
