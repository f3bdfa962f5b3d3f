"""Blind review: the one rule of who sees a candidate's name, email and source.

On a revision with `blind_review` set, the interviewers of its applications see the
application's candidate code ("C-7KQ2M9XP") instead; recruiters and the application's
hiring manager see the name, even when that hiring manager also interviews the
candidate (they decide on the hire and know the person anyway). Every page, file and
message shown to an interviewer names the candidate through `candidate_label` (the
`{{ application|candidate_label:user }}` filter of hiring/templatetags/candidates.py),
so a page written later cannot show the name by another way round.

The code is random and stored on the application (`Application.candidate_code`): it
says nothing about the name, outlives an erasure of the candidate and does not change
when the secret key does, so a printed interview kit still matches the page.
"""

import secrets
from collections.abc import Mapping

from django.db.models import F

from hiring_site.access import is_recruiter

# No 0/O, 1/I/L: the code is read aloud and copied from paper.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
CODE_PREFIX = "C-"


def new_candidate_code() -> str:
    return CODE_PREFIX + "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


# What a list read with values() needs beside its own columns for candidate_label: an
# interview's row (`application__...`). My interviews and the next-card link use it.
INTERVIEW_LABEL_VALUES = {
    "candidate_name": F("application__candidate__name"),
    "candidate_code": F("application__candidate_code"),
    "blind_review": F("application__revision__blind_review"),
    "hiring_manager_id": F("application__hiring_manager_id"),
}


def sees_candidate_names(viewer, *, blind_review: bool, hiring_manager_id: int | None) -> bool:
    """Whether `viewer` may see the name, email and source of a candidate whose
    application is on a revision with `blind_review` and has `hiring_manager_id`."""
    if not blind_review:
        return True
    if viewer is None or not viewer.is_authenticated:
        return False
    return viewer.pk == hiring_manager_id or is_recruiter(viewer)


def candidate_label(application, viewer) -> str:
    """The candidate's name, or their code where `viewer` is blind to it. `application`
    is an Application (with its candidate and revision) or a row with the keys of
    INTERVIEW_LABEL_VALUES."""
    if isinstance(application, Mapping):
        blind, manager = application["blind_review"], application["hiring_manager_id"]
        name, code = application["candidate_name"], application["candidate_code"]
    else:
        blind, manager = application.revision.blind_review, application.hiring_manager_id
        name, code = application.candidate.name, application.candidate_code
    if sees_candidate_names(viewer, blind_review=blind, hiring_manager_id=manager):
        return name
    return code
