from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "webhooks"
    verbose_name = "Webhooks"

    def ready(self):
        # The receivers that write the outbox (hiring.events, scorecards.events).
        from webhooks import outbox  # noqa: F401
