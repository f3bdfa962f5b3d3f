"""What the API reads and answers. Answers are built from the models; a write's body is
checked here for its types only: the rules (a duplicate email, an interviewer already on
the stage, a card's submission problems, a decision's acknowledgement) are the pages'
forms and models', which the views call (api.views)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from hiring.models import Application, CardState, Decision
from hiring_site.formatting import display_name
from hiring_site.forms import MAX_INT
from roles.models import RoleRevision, Signal
from scorecards.forms import MAX_TEXT
from scorecards.models import Scorecard

# --- roles ---------------------------------------------------------------------------------


class RoleListSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    summary = serializers.CharField()
    created_at = serializers.DateTimeField()
    published_revision = serializers.IntegerField(
        allow_null=True, help_text="The number of the published revision, if any."
    )
    latest_revision = serializers.IntegerField(allow_null=True)


class AnchorSerializer(serializers.Serializer):
    level = serializers.IntegerField()
    label = serializers.CharField()
    text = serializers.CharField()


class DimensionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    order = serializers.IntegerField()
    name = serializers.CharField()
    meets_bar = serializers.CharField()
    weight = serializers.DecimalField(max_digits=5, decimal_places=2)
    min_score = serializers.IntegerField(allow_null=True)
    anchors = serializers.SerializerMethodField()

    @extend_schema_field(AnchorSerializer(many=True))
    def get_anchors(self, dimension):
        return [
            {"level": level, "label": label, "text": text}
            for level, label, text in dimension.anchor_list()
        ]


class StageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    order = serializers.IntegerField()
    name = serializers.CharField()
    duration_minutes = serializers.IntegerField(allow_null=True)
    exercise = serializers.CharField(allow_null=True, source="exercise_title")
    focus_dimensions = serializers.ListField(child=serializers.IntegerField(), source="focus_ids")


class SignalSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Signal.Kind.choices)
    text = serializers.CharField()


class RevisionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    status = serializers.ChoiceField(choices=RoleRevision.Status.choices)
    published_at = serializers.DateTimeField(allow_null=True)
    red_flag_policy = serializers.CharField()
    min_scorecards = serializers.IntegerField()
    min_coverage = serializers.DecimalField(max_digits=3, decimal_places=2)
    thresholds = serializers.DictField(child=serializers.CharField())


class RoleDetailSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    summary = serializers.CharField()
    revisions = serializers.ListField(
        child=serializers.IntegerField(), help_text="The numbers of the revisions you may see."
    )
    revision = RevisionSerializer()
    dimensions = DimensionSerializer(many=True)
    stages = StageSerializer(many=True)
    signals = SignalSerializer(many=True)


class ImportedRevisionSerializer(serializers.Serializer):
    role = serializers.CharField()
    revision = serializers.IntegerField()
    status = serializers.ChoiceField(choices=RoleRevision.Status.choices)
    created = serializers.BooleanField(help_text="False: this content was imported before.")
    warnings = serializers.ListField(child=serializers.CharField())


class ImportResultSerializer(serializers.Serializer):
    revisions = ImportedRevisionSerializer(many=True)


# --- candidates and applications ----------------------------------------------------------


class CandidateSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=200)
    email = serializers.CharField(max_length=254)
    source = serializers.CharField(max_length=100, required=False, allow_blank=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)


class CandidatePatchSerializer(CandidateSerializer):
    name = serializers.CharField(max_length=200, required=False)
    email = serializers.CharField(max_length=254, required=False)


class ApplicationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    candidate = serializers.IntegerField(source="candidate_id")
    candidate_name = serializers.CharField(source="candidate.name")
    role = serializers.CharField(source="revision.role.slug")
    revision = serializers.IntegerField(source="revision.number")
    status = serializers.ChoiceField(choices=Application.Status.choices)
    hiring_manager = serializers.IntegerField(source="hiring_manager_id")
    recruiter = serializers.IntegerField(source="recruiter_id", allow_null=True)
    created_at = serializers.DateTimeField()
    decision = serializers.ChoiceField(
        choices=Decision.Outcome.choices, allow_null=True, help_text="The newest decision."
    )
    cards_expected = serializers.IntegerField()
    cards_submitted = serializers.IntegerField()
    last_activity = serializers.DateTimeField()


class ApplicationCreateSerializer(serializers.Serializer):
    candidate = serializers.IntegerField(min_value=1, max_value=MAX_INT)
    role = serializers.CharField(
        max_length=100, help_text="The role's slug; the application takes its published revision."
    )
    hiring_manager = serializers.IntegerField(min_value=1, max_value=MAX_INT)


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=Application.WITHDRAW_REASON_MAX, required=False, allow_blank=True
    )


# --- interviews -----------------------------------------------------------------------------


class InterviewSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    application = serializers.IntegerField(source="application_id")
    stage = serializers.IntegerField(source="stage_id")
    stage_name = serializers.CharField(source="stage.name")
    interviewer = serializers.IntegerField(source="interviewer_id")
    interviewer_name = serializers.SerializerMethodField()
    scheduled_at = serializers.DateTimeField(allow_null=True)
    card_state = serializers.ChoiceField(choices=CardState.choices)

    def get_interviewer_name(self, interview) -> str:
        return display_name(interview.interviewer)


class ApplicationDetailSerializer(ApplicationSerializer):
    interviews = InterviewSerializer(many=True, source="loop")


class InterviewCreateSerializer(serializers.Serializer):
    application = serializers.IntegerField(min_value=1, max_value=MAX_INT)
    stage = serializers.IntegerField(min_value=1, max_value=MAX_INT)
    interviewer = serializers.IntegerField(min_value=1, max_value=MAX_INT)
    scheduled_at = serializers.DateTimeField(
        help_text="ISO 8601; without an offset, in the site's time zone."
    )


class InterviewChangeSerializer(serializers.Serializer):
    stage = serializers.IntegerField(min_value=1, max_value=MAX_INT, required=False)
    interviewer = serializers.IntegerField(min_value=1, max_value=MAX_INT, required=False)
    scheduled_at = serializers.DateTimeField(required=False)


# --- scorecards -----------------------------------------------------------------------------


class RatingSerializer(serializers.Serializer):
    dimension = serializers.IntegerField(min_value=1, max_value=MAX_INT)
    score = serializers.IntegerField(
        min_value=1, max_value=5, allow_null=True, help_text="null: not assessed."
    )
    evidence = serializers.CharField(
        max_length=MAX_TEXT, allow_blank=True, required=False, default="", trim_whitespace=False
    )


class SignalCheckSerializer(serializers.Serializer):
    signal = serializers.IntegerField(min_value=1, max_value=MAX_INT)
    note = serializers.CharField(
        max_length=MAX_TEXT, allow_blank=True, required=False, default="", trim_whitespace=False
    )


class ScorecardSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    interview = serializers.IntegerField(source="interview_id")
    application = serializers.IntegerField(source="interview.application_id")
    stage = serializers.IntegerField(source="interview.stage_id")
    interviewer = serializers.IntegerField(source="interview.interviewer_id")
    interviewer_name = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=Scorecard.Status.choices)
    version = serializers.IntegerField()
    recommendation = serializers.CharField(help_text="A card recommendation code, or empty.")
    summary = serializers.CharField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField()
    reopen_reason = serializers.CharField()
    ratings = serializers.SerializerMethodField()
    signals = serializers.SerializerMethodField()

    def get_interviewer_name(self, card) -> str:
        return display_name(card.interview.interviewer)

    @extend_schema_field(RatingSerializer(many=True))
    def get_ratings(self, card):
        return [
            {"dimension": r.dimension_id, "score": r.score, "evidence": r.evidence}
            for r in sorted(card.ratings.all(), key=lambda r: r.dimension_id)
        ]

    @extend_schema_field(SignalCheckSerializer(many=True))
    def get_signals(self, card):
        return [
            {"signal": c.signal_id, "note": c.note}
            for c in sorted(card.signal_checks.all(), key=lambda c: c.signal_id)
        ]


class CardDimensionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    focus = serializers.BooleanField()
    anchors = AnchorSerializer(many=True)


class OwnCardSerializer(serializers.Serializer):
    """The interviewer's own card of an interview, with what it is made of."""

    interview = serializers.IntegerField()
    status = serializers.CharField(help_text="not_started, draft or submitted.")
    version = serializers.IntegerField(help_text="Send it back with the next save.")
    recommendation = serializers.CharField()
    summary = serializers.CharField()
    reopen_reason = serializers.CharField()
    ratings = RatingSerializer(many=True)
    signals = SignalCheckSerializer(many=True)
    dimensions = CardDimensionSerializer(many=True)
    signal_choices = SignalSerializer(many=True)


class CardWriteSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=0, max_value=MAX_INT, help_text="The version the change is based on."
    )
    ratings = RatingSerializer(many=True, required=False, default=list)
    signals = SignalCheckSerializer(
        many=True, required=False, default=list, help_text="The signals observed (ticked)."
    )
    recommendation = serializers.ChoiceField(
        choices=Scorecard.Recommendation.choices, allow_blank=True, required=False, default=""
    )
    summary = serializers.CharField(
        max_length=MAX_TEXT, allow_blank=True, required=False, default="", trim_whitespace=False
    )
    submit = serializers.BooleanField(
        required=False, default=False, help_text="true: submit; false: save as the draft."
    )


# --- results --------------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.OBJECT)
class AnyObject(serializers.JSONField):
    pass


class PanelSerializer(serializers.Serializer):
    """The panel's JSON, as the page's hiring:panel_json serves it (scoring.to_json)."""

    application = serializers.IntegerField()
    role = serializers.CharField()
    revision = serializers.IntegerField()
    submitted = serializers.IntegerField()
    weighted_score = serializers.CharField(allow_null=True)
    coverage = serializers.CharField()
    recommendation = serializers.CharField()
    recommendation_text = serializers.CharField()
    dimensions = serializers.ListField(child=AnyObject())
    red_flags = serializers.ListField(child=AnyObject())
    disagreements = serializers.ListField(child=serializers.JSONField())
    explanation = serializers.ListField(child=serializers.JSONField())
    band = serializers.CharField(allow_null=True)
    gates = serializers.ListField(child=serializers.JSONField())
    missing_dimensions = serializers.ListField(child=serializers.JSONField())


class DecisionWriteSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Decision.Outcome.choices)
    rationale = serializers.CharField(max_length=5000)
    acknowledge = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Required to decide against the computed recommendation, or to hire "
        "despite a red flag.",
    )
    seen_decision = serializers.IntegerField(
        min_value=0,
        max_value=MAX_INT,
        required=False,
        allow_null=True,
        help_text="The id of the newest decision you saw (none: 0 or left out). A decision "
        "recorded since refuses this one (409).",
    )


class DecisionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    application = serializers.IntegerField(source="application_id")
    outcome = serializers.ChoiceField(choices=Decision.Outcome.choices)
    rationale = serializers.CharField()
    decided_by = serializers.IntegerField(source="decided_by_id")
    decided_at = serializers.DateTimeField()
    application_status = serializers.ChoiceField(
        choices=Application.Status.choices, source="application.status"
    )


class AlphaSerializer(serializers.Serializer):
    alpha = serializers.FloatField(allow_null=True)
    applications = serializers.IntegerField()
    ratings = serializers.IntegerField()
    acceptable = serializers.BooleanField(allow_null=True)
    reason = serializers.CharField(allow_null=True, allow_blank=True)


class DimensionAlphaSerializer(AlphaSerializer):
    revision = serializers.IntegerField()
    dimension = serializers.CharField()


class LeniencySerializer(serializers.Serializer):
    interviewer = serializers.CharField()
    leniency = serializers.FloatField()
    n = serializers.IntegerField()


class CalibrationSerializer(serializers.Serializer):
    """scorecards.calibration.agreement_json, as the page's calibration_json serves it."""

    role = serializers.CharField()
    title = serializers.CharField()
    overall = AlphaSerializer()
    dimensions = DimensionAlphaSerializer(many=True)
    interviewers = LeniencySerializer(many=True)
