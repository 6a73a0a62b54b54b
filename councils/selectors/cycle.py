"""A meeting's cycle as the secretariat works through it: planera → dagordning →
kallelse → protokoll → justering → anslag, each step done or not, and the next one
with where it is done (the meeting page's primary action)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from councils.models import Meeting, Notice, Protocol


@dataclass
class Step:
    key: str
    label: str
    done: bool
    action: str = ""  #: what the primary button says when this step is next
    url: str = ""
    post: bool = False  #: the action is a form post (it changes something)
    note: str = ""  #: why it cannot be finished yet


@dataclass
class Cycle:
    steps: list[Step] = field(default_factory=list)

    @property
    def next(self) -> Step | None:
        return next((step for step in self.steps if not step.done), None)


def meeting_cycle(meeting: Meeting) -> Cycle | None:
    """The cycle of ``meeting`` (None for a cancelled one). One query at most beyond
    the meeting, its arena and its protocol (whether its agenda has items)."""
    if meeting.status == Meeting.Status.CANCELLED:
        return None
    protocol: Protocol | None = getattr(meeting, "protocol", None)
    begun = meeting.has_begun
    waiting = "" if begun else meeting.not_begun_message()
    protocol_url = reverse("councils:protocol", args=[meeting.pk])
    steps = [
        Step("plan", str(_("Plan")), True),
        Step(
            "agenda",
            str(_("Agenda")),
            meeting.agenda_items.exists(),
            str(_("Put a case on the agenda")),
            reverse("councils:agenda-add-case", args=[meeting.pk]),
        ),
        Step(
            "kallelse",
            str(_("Kallelse")),
            meeting.kallelse_sent_at is not None,
            str(_("Review and send the kallelse")),
            reverse("councils:kallelse-send", args=[meeting.pk]),
        ),
        Step(
            "protocol",
            str(_("Protocol")),
            protocol is not None and protocol.status != Protocol.Status.DRAFT,
            str(_("Write the protocol")) if protocol else str(_("Begin the protocol")),
            protocol_url if protocol else reverse("councils:protocol-start", args=[meeting.pk]),
            post=protocol is None,
            note=waiting,
        ),
        Step(
            "justering",
            str(_("Justering")),
            protocol is not None and protocol.is_approved,
            str(_("Follow the justering")),
            protocol_url,
            note=waiting,
        ),
    ]
    if meeting.body.posts_notices or meeting.body.procedure == meeting.body.Procedure.FORMAL:
        posted = protocol is not None and Notice.objects.filter(protocol=protocol).exists()
        steps.append(
            Step(
                "anslag",
                str(_("Anslag")),
                posted,
                str(_("The anslagstavla")),
                reverse("councils:notice-board"),
            )
        )
    return Cycle(steps)
