"""How the app writes dates, one rule each (Django's FORMAT_MODULE_PATH): a moment through
hiring_site.formatting.moment (`{{ value|moment }}` in templates), which stays safe for a
moment the time zone cannot take; a day as `{{ value|date:"SHORT_DATE_FORMAT" }}`:

- a moment (an interview, a submission, a decision, a save): "Sun 6 Dec 2026, 15:16";
- a day in a list column, sortable and narrow: "2026-12-06".
"""

DATETIME_FORMAT = "D j M Y, H:i"
SHORT_DATE_FORMAT = "Y-m-d"
