"""The REST API, /api/v1/: the pages' work for a script or an ATS, under the pages' rules.

Each endpoint says which groups may use each of its methods (api.permissions.ByGroup, the
pages' groups); which objects a user reaches is the pages' scope: roles through
roles.models.interviewer_scope, applications a recruiter's all and a hiring manager's own,
results through Application.objects.results_visible_to and Scorecard.objects.readable_by
(the blindness rule). Writes go through the pages' forms and models (CandidateForm,
ApplicationForm, InterviewForm, WithdrawForm, ScorecardForm with Scorecard.save_draft and
submit, DecisionForm with Application.record_decision), so the rules are the same ones;
a refused write stores nothing.
"""

import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, OuterRef, Prefetch, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import APIException, PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from api import serializers as s
from api.filters import ApplicationFilter, CandidateFilter, InterviewFilter, ScorecardFilter
from api.permissions import ByGroup
from hiring.forms import (
    DATETIME_LOCAL,
    ApplicationForm,
    CandidateForm,
    InterviewForm,
    WithdrawForm,
)
from hiring.models import (
    Application,
    Candidate,
    CardStarted,
    Interview,
    StaleDecision,
)
from hiring_site.access import HIRING_MANAGER, INTERVIEWER, RECRUITER, is_recruiter
from hiring_site.forms import MAX_INT
from roles import services
from roles.blueprint import BlueprintError
from roles.models import InterviewStage, Role, RoleRevision, interviewer_scope
from scorecards.access import get_panel_for_user
from scorecards.calibration import agreement, agreement_json, agreement_roles, scope_of
from scorecards.decision_form import DecisionForm
from scorecards.forms import ScorecardForm, card_parts
from scorecards.models import (
    IncompleteScorecard,
    InterviewGone,
    Rating,
    Scorecard,
    ScorecardContent,
    ScorecardReadOnly,
    SignalCheck,
    StaleScorecard,
)
from scorecards.panel import PanelConfigError, panel_payload, panel_view

SLUG = re.compile(r"[-a-zA-Z0-9_]{1,100}")
OWN_CARD_FIRST = (
    "You interview this candidate too. Submit your own scorecard first; the results open "
    "once it is submitted, so the others' ratings cannot influence yours."
)
ALL = (RECRUITER, HIRING_MANAGER, INTERVIEWER)


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the object's current state."
    default_code = "conflict"


def _form_refused(form) -> ValidationError:
    """The form's errors, as the API's 400 (api.errors)."""
    errors = {
        ("non_field_errors" if name == "__all__" else name): messages
        for name, messages in form.errors.items()
    }
    return ValidationError(errors)


def _valid(serializer_class, request, **kwargs) -> dict:
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _int_param(request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    if len(raw) > 18 or not raw.isascii() or not raw.isdigit() or int(raw) > MAX_INT:
        raise ValidationError({name: ["A whole number."]})
    return int(raw)


class Endpoint(APIView):
    permission_classes = [ByGroup]
    groups: dict = {}


# --- roles ------------------------------------------------------------------------------------


def _roles_of(user):
    """The roles `user` may see, and the revisions: every one, or an interviewer's own."""
    scope = interviewer_scope(user)
    revisions = RoleRevision.objects.all()
    roles = Role.objects.all()
    if scope is not None:
        revisions = revisions.filter(pk__in=list(scope))
        roles = roles.filter(pk__in=revisions.values("role_id"))
    return scope, roles, revisions


class RoleList(generics.ListAPIView):
    """The roles you may see: every role, or for an interviewer the roles they interview
    for."""

    permission_classes = [ByGroup]
    groups = {"GET": ALL}
    serializer_class = s.RoleListSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema's generation
            return Role.objects.none()
        _scope, roles, revisions = _roles_of(self.request.user)
        newest = revisions.filter(role=OuterRef("pk")).order_by("-number").values("number")[:1]
        published = (
            revisions.filter(role=OuterRef("pk"), status=RoleRevision.Status.PUBLISHED)
            .order_by("-number")
            .values("number")[:1]
        )
        return roles.order_by("title", "id").annotate(
            latest_revision=Subquery(newest), published_revision=Subquery(published)
        )


class RoleDetail(Endpoint):
    groups = {"GET": ALL}

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "revision",
                int,
                description="A revision number; by default the published one, else the newest.",
            )
        ],
        responses=s.RoleDetailSerializer,
    )
    def get(self, request, slug):
        """A role's revision with its dimensions (and their anchors), interview stages and
        signals; an interviewer sees the stages they interview for only."""
        number = _int_param(request, "revision")
        scope, roles, revisions = _roles_of(request.user)
        role = get_object_or_404(roles, slug=slug)
        revisions = list(revisions.filter(role=role).order_by("-number"))
        if number is not None:
            revision = next((r for r in revisions if r.number == number), None)
        else:
            revision = next(
                (r for r in revisions if r.status == RoleRevision.Status.PUBLISHED), None
            ) or (revisions[0] if revisions else None)
        if revision is None:
            raise Http404("This role has no such revision.")
        stages = revision.stages.order_by("order", "id").select_related("exercise")
        if scope is not None:
            stages = stages.filter(pk__in=scope[revision.pk])
        stages = list(stages)
        focus = {stage.pk: [] for stage in stages}
        for stage_id, dimension_id in InterviewStage.focus_dimensions.through.objects.filter(
            interviewstage_id__in=list(focus)
        ).values_list("interviewstage_id", "dimension_id"):
            focus[stage_id].append(dimension_id)
        for stage in stages:
            stage.exercise_title = stage.exercise.title if stage.exercise else None
            stage.focus_ids = sorted(focus[stage.pk])
        data = {
            "slug": role.slug,
            "title": role.title,
            "summary": role.summary,
            "revisions": [r.number for r in revisions],
            "revision": revision,
            "dimensions": revision.dimensions.order_by("order", "id"),
            "stages": stages,
            "signals": revision.signals.order_by("kind", "order", "id"),
        }
        return Response(s.RoleDetailSerializer(data).data)


class RoleExport(Endpoint):
    groups = {"GET": (RECRUITER,)}

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "revision",
                int,
                description="A revision number; by default the published one, else the newest.",
            )
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request, slug):
        """The role's revision in the JSON shape `import_blueprint` and the import endpoint
        read back (roles/blueprint/json_format.py), as the page's Export JSON."""
        number = _int_param(request, "revision")
        role = get_object_or_404(Role, slug=slug)
        if number is None:
            revision = services.default_export_revision(role)
        else:
            revision = role.revisions.filter(number=number).first()
        if revision is None:
            raise Http404("This role has no such revision.")
        return Response(services.export_revision(revision))


class RoleImport(Endpoint):
    groups = {"POST": (RECRUITER,)}

    @extend_schema(
        request={
            "application/json": OpenApiTypes.OBJECT,
            "text/plain": OpenApiTypes.STR,
        },
        responses={200: s.ImportResultSerializer, 201: s.ImportResultSerializer},
    )
    def post(self, request):
        """Import a role: a role export (JSON: one role or a list, the export's shape), or a
        blueprint's text (`Content-Type: text/plain`). Each role becomes a draft revision;
        the same content again creates nothing (200). Publish it on the role page, which
        asks for a reason for each import warning."""
        data = request.body  # the bytes, as the upload page and import_blueprint read them
        as_json = not request.content_type.startswith("text/plain")
        name = "The request body"
        try:
            loaded = services.load_file(data, name, as_json=as_json)
            digest = services.sha256_of(data)
            results = []
            with transaction.atomic():
                for n, item in enumerate(loaded):
                    sha = (
                        digest if len(loaded) == 1 else services.sha256_of(f"{digest}:{n}".encode())
                    )
                    results.append(
                        (
                            services.import_parsed(
                                item.parsed,
                                source_name="API import",
                                source_sha256=sha,
                                user=request.user,
                                extras=item.extras,
                            ),
                            item,
                        )
                    )
        except BlueprintError as exc:
            raise ValidationError({"body": [str(exc)]}) from None
        body = {
            "revisions": [
                {
                    "role": result.revision.role.slug,
                    "revision": result.revision.number,
                    "status": result.revision.status,
                    "created": result.created,
                    "warnings": list(item.parsed.warnings),
                }
                for result, item in results
            ]
        }
        created = any(result.created for result, _ in results)
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


# --- candidates -------------------------------------------------------------------------------


def _save_candidate(form) -> Candidate:
    try:
        with transaction.atomic():
            return form.save()
    except IntegrityError:
        raise ValidationError(
            {"email": ["Another candidate already uses this email address."]}
        ) from None


class CandidateList(generics.ListAPIView):
    """Candidates (recruiters): searched, and filtered by the role and status of their
    applications."""

    permission_classes = [ByGroup]
    groups = {"GET": (RECRUITER,), "POST": (RECRUITER,)}
    serializer_class = s.CandidateSerializer
    filterset_class = CandidateFilter
    queryset = Candidate.objects.order_by("name", "id")

    @extend_schema(request=s.CandidateSerializer, responses={201: s.CandidateSerializer})
    def post(self, request):
        """Add a candidate (CandidateForm: an email no other candidate uses)."""
        fields = _valid(s.CandidateSerializer, request)
        form = CandidateForm(fields)
        if not form.is_valid():
            raise _form_refused(form)
        candidate = _save_candidate(form)
        return Response(s.CandidateSerializer(candidate).data, status=status.HTTP_201_CREATED)


class CandidateDetail(Endpoint):
    groups = {"GET": (RECRUITER,), "PUT": (RECRUITER,), "PATCH": (RECRUITER,)}

    @extend_schema(responses=s.CandidateSerializer)
    def get(self, request, pk):
        return Response(s.CandidateSerializer(get_object_or_404(Candidate, pk=pk)).data)

    def _update(self, request, pk, partial: bool):
        candidate = get_object_or_404(Candidate, pk=pk)
        serializer_class = s.CandidatePatchSerializer if partial else s.CandidateSerializer
        fields = {
            "name": candidate.name,
            "email": candidate.email,
            "source": candidate.source if partial else "",
            **_valid(serializer_class, request),
        }
        form = CandidateForm(fields, instance=candidate)
        if not form.is_valid():
            raise _form_refused(form)
        return Response(s.CandidateSerializer(_save_candidate(form)).data)

    @extend_schema(request=s.CandidateSerializer, responses=s.CandidateSerializer)
    def put(self, request, pk):
        """Replace a candidate's name, email and source."""
        return self._update(request, pk, partial=False)

    @extend_schema(request=s.CandidatePatchSerializer, responses=s.CandidateSerializer)
    def patch(self, request, pk):
        """Change some of a candidate's name, email and source."""
        return self._update(request, pk, partial=True)


# --- applications -----------------------------------------------------------------------------


def _applications_of(user):
    """As the application page: a recruiter every application, a hiring manager their own
    (Application.objects.panels_readable_by)."""
    applications = Application.objects.select_related("candidate", "revision__role")
    return applications.panels_readable_by(user)


def _application_for(request, pk) -> Application:
    application = _applications_of(request.user).with_progress().filter(pk=pk).first()
    if application is None:
        raise Http404("No such application.")
    return application


def _loop_of(application) -> list[Interview]:
    """The application's interviews with their card states (no results)."""
    interviews = list(
        application.interviews.with_card_state()
        .select_related("stage", "interviewer")
        .order_by("stage__order", "scheduled_at", "id")
    )
    return interviews


class ApplicationList(generics.ListAPIView):
    """Applications: a recruiter's every one, a hiring manager's own; with their progress
    (cards submitted of expected), newest decision and last activity."""

    permission_classes = [ByGroup]
    groups = {"GET": (RECRUITER, HIRING_MANAGER), "POST": (RECRUITER,)}
    serializer_class = s.ApplicationSerializer
    filterset_class = ApplicationFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Application.objects.none()
        return _applications_of(self.request.user).with_progress().order_by("-created_at", "-id")

    @extend_schema(request=s.ApplicationCreateSerializer, responses={201: s.ApplicationSerializer})
    def post(self, request):
        """Open an application of a candidate for a role's published revision
        (ApplicationForm: one active application per candidate and role)."""
        fields = _valid(s.ApplicationCreateSerializer, request)
        candidate = Candidate.objects.filter(pk=fields["candidate"]).first()
        if candidate is None:
            raise ValidationError({"candidate": ["No such candidate."]})
        revision = (
            RoleRevision.objects.published()
            .filter(role__slug=fields["role"])
            .values_list("pk", flat=True)
            .first()
        )
        if revision is None:
            raise ValidationError({"role": ["No role with a published revision has this slug."]})
        form = ApplicationForm(
            {"revision": revision, "hiring_manager": fields["hiring_manager"]}, candidate=candidate
        )
        if not form.is_valid():
            raise _form_refused(form)
        application = form.save(commit=False)
        application.candidate = candidate
        application.recruiter = request.user
        application.save()
        application = _application_for(request, application.pk)
        return Response(s.ApplicationSerializer(application).data, status=status.HTTP_201_CREATED)


class ApplicationDetail(Endpoint):
    groups = {"GET": (RECRUITER, HIRING_MANAGER)}

    @extend_schema(responses=s.ApplicationDetailSerializer)
    def get(self, request, pk):
        """An application with its loop: each interview's stage, interviewer, time and
        card state."""
        application = _application_for(request, pk)
        application.loop = _loop_of(application)
        return Response(s.ApplicationDetailSerializer(application).data)


class ApplicationWithdraw(Endpoint):
    groups = {"POST": (RECRUITER,)}

    @extend_schema(request=s.WithdrawSerializer, responses=s.ApplicationSerializer)
    def post(self, request, pk):
        """The candidate withdraws (Application.withdraw; the reason is kept in its
        history). Withdrawing again changes nothing; an application closed by a hire or
        no-hire decision cannot be withdrawn (409)."""
        application = _application_for(request, pk)
        form = WithdrawForm(_valid(s.WithdrawSerializer, request))
        if not form.is_valid():
            raise _form_refused(form)
        try:
            application.withdraw(request.user, form.cleaned_data["reason"])
        except DjangoValidationError as refused:
            raise Conflict(" ".join(refused.messages)) from None
        return Response(s.ApplicationSerializer(_application_for(request, pk)).data)


# --- interviews -------------------------------------------------------------------------------


def _interviews_of(user):
    """A recruiter every interview; anyone else (an interviewer) their own."""
    interviews = Interview.objects.with_card_state().select_related("stage", "interviewer")
    if is_recruiter(user):
        return interviews
    return interviews.filter(interviewer=user)


def _open(application) -> None:
    if application.status != Application.Status.ACTIVE:
        raise Conflict("This application is closed; its loop cannot change.")


def _card_started(interview, outcome: str) -> Conflict:
    return Conflict(
        "The interviewer has started the scorecard for this interview, and a scorecard "
        f"stays with its author: the interview keeps its stage and interviewer. {outcome} "
        "Assign someone else to the stage as well instead; the time can still change."
    )


class InterviewList(generics.ListAPIView):
    """Interviews: a recruiter's every one, an interviewer's own (their To do and Done),
    each with its card state."""

    permission_classes = [ByGroup]
    groups = {"GET": (RECRUITER, INTERVIEWER), "POST": (RECRUITER,)}
    serializer_class = s.InterviewSerializer
    filterset_class = InterviewFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Interview.objects.none()
        return _interviews_of(self.request.user).order_by(
            F("scheduled_at").asc(nulls_last=True), "id"
        )

    @extend_schema(request=s.InterviewCreateSerializer, responses={201: s.InterviewSerializer})
    def post(self, request):
        """Assign an interviewer to a stage of an application's loop, at a time
        (InterviewForm's rules: the application's stages, an interviewer, a time within
        two years, not the same interviewer twice on a stage)."""
        fields = _valid(s.InterviewCreateSerializer, request)
        application = Application.objects.filter(pk=fields["application"]).first()
        if application is None:
            raise ValidationError({"application": ["No such application."]})
        _open(application)
        form = InterviewForm(_interview_data(fields), application=application)
        if not form.is_valid():
            raise _form_refused(form)
        try:
            with transaction.atomic():
                interview = form.save()
        except IntegrityError:
            raise ValidationError(
                {"interviewer": ["This interviewer was just assigned to that stage."]}
            ) from None
        interview = _interviews_of(request.user).get(pk=interview.pk)
        return Response(s.InterviewSerializer(interview).data, status=status.HTTP_201_CREATED)


def _interview_data(fields: dict) -> dict:
    """The form's data from the API's fields: the time in the active zone, to the minute,
    as the page's datetime-local input sends it."""
    data = {name: fields[name] for name in ("stage", "interviewer") if name in fields}
    if "scheduled_at" in fields:
        data["scheduled_at"] = timezone.localtime(fields["scheduled_at"]).strftime(DATETIME_LOCAL)
    return data


class InterviewDetail(Endpoint):
    groups = {
        "GET": (RECRUITER, INTERVIEWER),
        "PATCH": (RECRUITER,),
        "DELETE": (RECRUITER,),
    }

    @extend_schema(responses=s.InterviewSerializer)
    def get(self, request, pk):
        interview = get_object_or_404(_interviews_of(request.user), pk=pk)
        return Response(s.InterviewSerializer(interview).data)

    @extend_schema(request=s.InterviewChangeSerializer, responses=s.InterviewSerializer)
    def patch(self, request, pk):
        """Move an interview to another stage, interviewer or time. Once its scorecard is
        started only the time may change (409 otherwise)."""
        interview = get_object_or_404(Interview.objects.select_related("application"), pk=pk)
        application = interview.application
        _open(application)
        fields = _valid(s.InterviewChangeSerializer, request)
        current = {
            "stage": interview.stage_id,
            "interviewer": interview.interviewer_id,
            "scheduled_at": timezone.localtime(interview.scheduled_at).strftime(DATETIME_LOCAL)
            if interview.scheduled_at
            else "",
        }
        form = InterviewForm(
            {**current, **_interview_data(fields)}, instance=interview, application=application
        )
        if not form.is_valid():
            raise _form_refused(form)
        try:
            form.save(commit=False).save_change()
        except IntegrityError:
            raise ValidationError(
                {"interviewer": ["This interviewer was just assigned to that stage."]}
            ) from None
        except Interview.DoesNotExist:
            raise Http404("This interview was removed from the loop meanwhile.") from None
        except CardStarted as refused:
            raise _card_started(refused.interview, "Nothing was changed.") from None
        return Response(s.InterviewSerializer(_interviews_of(request.user).get(pk=pk)).data)

    @extend_schema(responses={204: None})
    def delete(self, request, pk):
        """Take an interview off the loop, unless its scorecard is started (409)."""
        interview = get_object_or_404(Interview.objects.select_related("application"), pk=pk)
        _open(interview.application)
        try:
            interview.remove()
        except Interview.DoesNotExist:
            raise Http404("This interview had already been removed from the loop.") from None
        except CardStarted as refused:
            raise _card_started(refused.interview, "Nothing was removed.") from None
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- scorecards -------------------------------------------------------------------------------

_CARD_ROWS = (
    Prefetch(
        "ratings", queryset=Rating.objects.only("scorecard_id", "dimension_id", "score", "evidence")
    ),
    Prefetch(
        "signal_checks", queryset=SignalCheck.objects.only("scorecard_id", "signal_id", "note")
    ),
)


def _readable_cards(user):
    return (
        Scorecard.objects.readable_by(user)
        .select_related("interview__interviewer")
        .prefetch_related(*_CARD_ROWS)
    )


class ScorecardList(generics.ListAPIView):
    """The scorecards you may read (Scorecard.objects.readable_by): your own; and where
    you may see an application's results (never while a card of your own on it is not
    submitted), the others' submitted cards, every card for a recruiter."""

    permission_classes = [ByGroup]
    groups = {"GET": ALL}
    serializer_class = s.ScorecardSerializer
    filterset_class = ScorecardFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Scorecard.objects.none()
        return _readable_cards(self.request.user).order_by("-updated_at", "-id")


class ScorecardDetail(Endpoint):
    groups = {"GET": ALL}

    @extend_schema(responses=s.ScorecardSerializer)
    def get(self, request, pk):
        card = _readable_cards(request.user).filter(pk=pk).first()
        if card is None:
            hidden = Scorecard.objects.hidden_until_own_card(request.user).filter(pk=pk)
            raise Http404(OWN_CARD_FIRST) if hidden.exists() else Http404()
        return Response(s.ScorecardSerializer(card).data)


def _own_interview(request, pk) -> Interview:
    """The interviewer's own interview, with its card's parts (404 otherwise)."""
    interview = get_object_or_404(
        Interview.objects.select_related("application", "scorecard"),
        pk=pk,
        interviewer_id=request.user.pk,
    )
    interview.parts = card_parts(interview.application.revision_id, interview.stage_id)
    return interview


def _own_card(interview) -> dict:
    card = getattr(interview, "scorecard", None)
    content = card.content() if card is not None else ScorecardContent()
    parts = interview.parts
    return {
        "interview": interview.pk,
        "status": card.status if card is not None else "not_started",
        "version": card.version if card is not None else 0,
        "recommendation": content.recommendation,
        "summary": content.summary,
        "reopen_reason": card.reopen_reason if card is not None else "",
        "ratings": [
            {"dimension": d, "score": score, "evidence": evidence}
            for d, (score, evidence) in sorted(content.ratings.items())
        ],
        "signals": [{"signal": sid, "note": note} for sid, note in sorted(content.signals.items())],
        "dimensions": [
            {
                "id": d.id,
                "name": d.name,
                "focus": d.id in parts.focus_ids,
                "anchors": [
                    {"level": level, "label": label, "text": text}
                    for level, label, text in d.anchor_list()
                ],
            }
            for d in parts.dimensions
        ],
        "signal_choices": parts.signals,
    }


def _form_data(fields: dict) -> dict:
    """The scorecard form's fields (scorecards.forms.ScorecardForm) from the API's body."""
    data = {
        "version": str(fields["version"]),
        "recommendation": fields["recommendation"],
        "summary": fields["summary"],
    }
    for rating in fields["ratings"]:
        key = rating["dimension"]
        data[f"score_{key}"] = "" if rating["score"] is None else str(rating["score"])
        data[f"evidence_{key}"] = rating["evidence"]
    for check in fields["signals"]:
        data[f"signal_{check['signal']}"] = "on"
        data[f"note_{check['signal']}"] = check["note"]
    return data


class OwnScorecard(Endpoint):
    groups = {"GET": (INTERVIEWER,), "PUT": (INTERVIEWER,)}

    @extend_schema(responses=s.OwnCardSerializer)
    def get(self, request, pk):
        """Your card for one of your interviews (version 0 when not started), with the
        dimensions (focus first on the page) and signals it is made of."""
        return Response(s.OwnCardSerializer(_own_card(_own_interview(request, pk))).data)

    @extend_schema(
        request=s.CardWriteSerializer,
        responses=s.OwnCardSerializer,
    )
    def put(self, request, pk):
        """Save your card as the draft, or submit it (`submit: true`), as the scorecard
        page does: the whole card each time, based on `version` (a stale version is
        refused, 409, and nothing is written). A submission missing what the page asks for
        (focus dimensions rated, evidence for a 1 or a 5, a note for a red flag, a
        recommendation) is refused with the problems (400), and nothing is written."""
        interview = _own_interview(request, pk)
        fields = _valid(s.CardWriteSerializer, request)
        parts = interview.parts
        form = ScorecardForm(
            _form_data(fields),
            dimensions=parts.dimensions,
            focus_ids=parts.focus_ids,
            signals=parts.signals,
        )
        if not form.is_valid():
            raise _form_refused(form)
        card = getattr(interview, "scorecard", None) or Scorecard(interview=interview, version=0)
        content, version = form.content(), form.cleaned_data["version"]
        try:
            if fields["submit"]:
                card.submit(content, version, request.user)
            else:
                card.save_draft(content, version, request.user)
        except IncompleteScorecard as exc:
            raise ValidationError(
                {form.problem_field(*key): [message] for key, message in exc.problems.items()}
            ) from None
        except StaleScorecard as exc:
            raise Conflict(
                f"The card changed since version {version} was loaded: it is at version "
                f"{exc.current.version}. Nothing was saved; load it again."
            ) from None
        except ScorecardReadOnly as exc:
            if not (fields["submit"] and exc.current.matches(content)):
                raise Conflict(
                    "This scorecard is submitted; only a recruiter's reopen makes it "
                    "editable again. Nothing was saved."
                ) from None
        except InterviewGone:
            raise Http404("This interview is no longer yours.") from None
        return Response(s.OwnCardSerializer(_own_card(_own_interview(request, pk))).data)


# --- results: the panel, decisions, calibration -----------------------------------------------


def _results_for(request, pk, *, deciding: bool = False) -> Application:
    """The application whose panel `request.user` may read (a recruiter any, a hiring
    manager their own: 404 otherwise), or decide on (its hiring manager only: 403 for a
    recruiter), as the pages answer (scorecards.access); then 403 while a card of their
    own on it is not submitted (blindness)."""
    application = get_panel_for_user(
        Application.objects.select_related("candidate", "revision__role"),
        pk,
        request.user,
        deciding=deciding,
    )
    if not application.results_visible_to(request.user):
        raise PermissionDenied(OWN_CARD_FIRST)
    return application


def _config_error(exc) -> Conflict:
    return Conflict(f"The role revision's scoring settings cannot be used: {exc}")


class Panel(Endpoint):
    groups = {"GET": (RECRUITER, HIRING_MANAGER)}

    @extend_schema(responses=s.PanelSerializer)
    def get(self, request, pk):
        """The panel of an application: weighted score, coverage, the recommendation with
        its explanation, per-dimension scores, red flags, disagreements (the JSON of the
        page's hiring:panel_json)."""
        application = _results_for(request, pk)
        try:
            return Response(panel_payload(application))
        except PanelConfigError as exc:
            raise _config_error(exc) from None


class Decisions(Endpoint):
    groups = {"POST": (RECRUITER, HIRING_MANAGER)}

    @extend_schema(
        request=s.DecisionWriteSerializer,
        responses={201: s.DecisionSerializer, 200: s.DecisionSerializer},
    )
    def post(self, request, pk):
        """Record the hiring manager's decision, with a rationale. Deciding against the
        computed recommendation, or to hire despite a red flag, needs `acknowledge: true`
        (400 otherwise, saying why). A decision recorded since the one you saw
        (`seen_decision`) refuses this one (409). The same decision posted twice within
        seconds is recorded once (200)."""
        application = _results_for(request, pk, deciding=True)
        fields = _valid(s.DecisionWriteSerializer, request)
        try:
            panel = panel_view(application)
        except PanelConfigError as exc:
            raise _config_error(exc) from None
        data = {
            "outcome": fields["outcome"],
            "rationale": fields["rationale"],
            "seen_decision": fields.get("seen_decision") or "",
        }
        if fields["acknowledge"]:
            data["acknowledge"] = "on"
        form = DecisionForm.for_panel(panel, data)
        if not form.is_valid():
            raise _form_refused(form)
        try:
            decision, created = form.record(application, by=request.user)
        except StaleDecision as exc:
            latest = exc.latest
            raise Conflict(
                "Not recorded: the decisions changed after the one you saw"
                + (f" (the newest is {latest.pk})." if latest else ".")
            ) from None
        except DjangoValidationError as exc:
            raise Conflict(" ".join(exc.messages)) from None
        decision.application = application
        return Response(
            s.DecisionSerializer(decision).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class Calibration(Endpoint):
    groups = {"GET": (RECRUITER, HIRING_MANAGER)}

    @extend_schema(
        parameters=[OpenApiParameter("role", str, required=True, description="The role's slug.")],
        responses=s.CalibrationSerializer,
    )
    def get(self, request):
        """How far a role's interviewers agree (Krippendorff's alpha per revision and
        dimension and over the role, each interviewer's leniency), from the cards whose
        results you may see: the JSON of the page's scorecards:calibration_json."""
        slug = request.query_params.get("role", "")
        if not slug:
            raise ValidationError({"role": ["Say which role: ?role=SLUG."]})
        scope = scope_of(request.user)
        role = agreement_roles(scope).filter(slug=slug).first() if SLUG.fullmatch(slug) else None
        if role is None:
            raise Http404("No role with scorecards you may see has this slug.")
        return Response(agreement_json(agreement(scope, role), role))


# --- the documentation --------------------------------------------------------------------------


@require_GET
def docs(request):
    """Swagger UI on the OpenAPI schema: the vendored package's files, and its set-up in
    static/js/api-docs.js (no inline script or style: the site's CSP holds)."""
    return render(request, "api/docs.html")
