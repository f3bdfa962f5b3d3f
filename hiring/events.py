"""What happened to an application, told to whoever listens (the webhooks' outbox, an
app above this one). Each signal is sent by the one model method every path goes
through (the pages, the admin, the demo, the API), inside the transaction of the
change: a listener's writes commit with the change or roll back with it."""

from django.dispatch import Signal

# Sent by Application.save() when it inserts the row; `application`.
application_created = Signal()
# Sent by Application.record_decision() for a new decision (not a double submit);
# `decision`, with its application.
decision_recorded = Signal()
