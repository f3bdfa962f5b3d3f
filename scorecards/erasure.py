"""scorecards' part of erasing a candidate (hiring.erasure): the evidence, notes,
summaries and reopen reasons of the cards written about them, in the rows and in their
history, and the stored pipeline headlines of their applications. Scores, signals
ticked and recommendations stay, so calibration and validity keep their numbers."""

from hiring.erasure import Erasure, redact_with_history
from scorecards.models import Headline, Rating, Scorecard, SignalCheck


def erase_cards(sender, erasure: Erasure, **kwargs) -> None:
    """A receiver of hiring.erasure.candidate_erased."""
    applications = erasure.application_ids
    card_ids = sorted(
        set(
            Scorecard.objects.filter(interview__application_id__in=applications).values_list(
                "pk", flat=True
            )
        )
        # A card whose interview is gone survives in its history only.
        | set(
            Scorecard.history.filter(interview__application_id__in=applications).values_list(
                "id", flat=True
            )
        )
    )
    rating_ids = _ids(Rating, card_ids)
    check_ids = _ids(SignalCheck, card_ids)
    redact_with_history(Scorecard, card_ids, "summary", "reopen_reason")
    redact_with_history(Rating, rating_ids, "evidence")
    redact_with_history(SignalCheck, check_ids, "note")
    # Numbers only, but derived from the cards as they were: computed again when shown.
    Headline.objects.filter(application_id__in=applications).delete()
    erasure.logged.update({Scorecard: card_ids, Rating: rating_ids, SignalCheck: check_ids})


def _ids(model, card_ids) -> list[int]:
    live = model.objects.filter(scorecard_id__in=card_ids).values_list("pk", flat=True)
    past = model.history.filter(scorecard_id__in=card_ids).values_list("id", flat=True)
    return sorted(set(live) | set(past))
