"""A complete interview loop for the scorecard and loop tests, built from the factories."""

from types import SimpleNamespace

from roles.models import Signal
from tests import factories


def build_loop(interviewer=None, *, extra_dimensions=0, hiring_manager=None):
    """A published revision with four dimensions (+ `extra_dimensions`), signals of each
    kind, two stages, an application and one interview per stage: `interview` for
    `interviewer` (stage 1, focus on the first two dimensions) and `other_interview`
    for another interviewer (stage 2)."""
    revision = factories.RoleRevisionFactory(role__title="Data Platform Engineer")
    names = ["System design", "Evaluation", "Communication", "Security mindset"]
    names += [f"Extra dimension {n}" for n in range(extra_dimensions)]
    dimensions = [
        factories.DimensionFactory(
            revision=revision,
            order=index,
            name=name,
            meets_bar=f"Meets the bar for {name.lower()}.",
            anchors=["", "", "", "", f"Sets the standard in {name.lower()}."],
        )
        for index, name in enumerate(names)
    ]
    strong = [
        factories.SignalFactory(revision=revision, kind=Signal.Kind.STRONG, text=text, order=i)
        for i, text in enumerate(["Quantifies trade-offs", "Asks about the data first"])
    ]
    weak = [factories.SignalFactory(revision=revision, kind=Signal.Kind.WEAK, text="Hand-waves")]
    red = [
        factories.SignalFactory(revision=revision, kind=Signal.Kind.RED_FLAG, text=text, order=i)
        for i, text in enumerate(["Blames others for failures", "Ignores privacy"])
    ]
    exercise = factories.ExerciseFactory(
        revision=revision,
        title="Streaming pipeline case",
        prompt="Design a pipeline that scores 5k events a second.",
        look_for=["Back-pressure handling"],
        must_cover=["Failure recovery"],
    )
    stage = factories.InterviewStageFactory(
        revision=revision,
        order=0,
        name="System design case",
        exercise=exercise,
        focus_dimensions=dimensions[:2],
    )
    other_stage = factories.InterviewStageFactory(
        revision=revision, order=1, name="Values interview", focus_dimensions=dimensions[2:3]
    )
    application = factories.ApplicationFactory(
        revision=revision,
        candidate__name="Grace Hopper",
        **({"hiring_manager": hiring_manager} if hiring_manager else {}),
    )
    interview = factories.InterviewFactory(
        application=application,
        stage=stage,
        **({"interviewer": interviewer} if interviewer else {}),
    )
    other_interview = factories.InterviewFactory(application=application, stage=other_stage)
    return SimpleNamespace(
        revision=revision,
        dimensions=dimensions,
        focus=dimensions[:2],
        strong=strong,
        weak=weak,
        red=red,
        exercise=exercise,
        stage=stage,
        other_stage=other_stage,
        application=application,
        interview=interview,
        other_interview=other_interview,
    )


def complete_post(loop, version, **overrides) -> dict:
    """Form data that can be submitted: focus rated, a 5 with evidence, a red flag noted."""
    d = loop.dimensions
    data = {
        "version": str(version),
        f"score_{d[0].id}": "5",
        f"evidence_{d[0].id}": "Designed back-pressure with bounded queues.",
        f"score_{d[1].id}": "3",
        f"evidence_{d[1].id}": "Offline metrics only.",
        f"score_{d[2].id}": "",
        f"evidence_{d[2].id}": "",
        f"score_{d[3].id}": "",
        f"evidence_{d[3].id}": "",
        f"signal_{loop.strong[0].id}": "on",
        f"note_{loop.strong[0].id}": "",
        f"signal_{loop.red[0].id}": "on",
        f"note_{loop.red[0].id}": "Said the outage was 'the SRE team's problem'.",
        "recommendation": "yes",
        "summary": "Strong designer; watch the ownership signal.",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
