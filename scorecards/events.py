"""What happened to a scorecard, told to whoever listens (the webhooks' outbox). Sent by
Scorecard.submit(), inside the transaction of the submission (see hiring.events)."""

from django.dispatch import Signal

# A card was submitted; `scorecard`, `interview` (with its application).
scorecard_submitted = Signal()
# The submission was the last card the application expected: every interview of it has
# its card submitted. `application`. Sent again if a reopened card is submitted again.
panel_ready = Signal()
