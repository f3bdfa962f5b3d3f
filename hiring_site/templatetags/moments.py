"""`{{ value|moment }}`: a moment as pages write it (hiring_site.formatting.moment)."""

from django import template

from hiring_site.formatting import moment as moment_text

register = template.Library()


# The value as stored (expects_localtime off): Django's own move into the time zone is
# what fails for a moment near the calendar's ends; moment_text makes it safely.
@register.filter(expects_localtime=False)
def moment(value) -> str:
    return moment_text(value)
