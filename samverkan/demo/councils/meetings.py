"""The demo's meetings, protocols and accounts (illustrative where the seeds are silent)."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from base.roles import SECRETARIAT_GROUP
from councils import services
from councils.models import (
    Approval,
    Body,
    Case,
    Document,
    Meeting,
    Paragraph,
    ParagraphSequence,
    Person,
)
from samverkan.demo.councils.records import DEMO_ACCOUNTS, SEEDS, _aware, _case, _document


def _demo_meetings(
    *,
    council: Body,
    deferred: Case,
    follow_up: Case,
    chair: Person,
    adjuster: Person,
    presenter: Person,
) -> None:
    """The samverkansråd's meeting of § 56 (the seed's own paragraph; the meeting date is
    illustrative), justerat when the demo accounts exist, and its next meeting, where
    the deferred case comes back."""
    if not council.meetings.filter(starts_at__year=2018).exists():
        (held,) = services.meeting_plan(
            actor=None,
            body=council,
            starts=[_aware(2018, 9, 14, 13, 0)],
            place="Regionens hus, Östersund",
            duration=datetime.timedelta(hours=3),
        )
        services.agenda_add_standard_items(actor=None, meeting=held)
        services.agenda_add_case(
            actor=None,
            meeting=held,
            case=deferred,
            presenter=presenter,
            proposal="Rådet diskuterar samverkansrådets roll i förhållande till övriga "
            "samverkansformer.",
        )
        # § 56 in the minutes: the year's earlier meetings used § 1 to 51.
        ParagraphSequence.objects.update_or_create(
            body=council, year=2018, defaults={"last_number": 51}
        )
        services.paragraphs_create_for_agenda(actor=None, meeting=held)
        seed = (SEEDS / "rs-2797-2017-samverkansradet-p56.txt").read_text(encoding="utf-8")
        summary = seed.split("### **Sammanfattning**", 1)[1].split("### **Beslut**", 1)[0]
        paragraph = Paragraph.objects.get(meeting=held, case=deferred)
        services.paragraph_update(
            actor=None,
            paragraph=paragraph,
            title="Regionstyrelsens uppföljning av samverkan med kommunerna: "
            "Samverkansrådet (RS/2797/2017)",
            summary=summary.strip(),
            decision_kind=Paragraph.DecisionKind.DEFERRED,
            decision="Ärendet tas upp igen vid regionens samverkansråds nästkommande sammanträde.",
            basis="§187 Regionstyrelsen Regionstyrelsens uppföljning av samverkan med "
            "kommunerna: Samverkansrådet\nRapport Uppföljning av samverkan med kommunerna: "
            "Samverkansrådet",
            extract_to="Regionstyrelsen\nLänets kommuner",
        )
        protocol = services.protocol_start(actor=None, meeting=held)
        services.protocol_update(
            actor=None,
            protocol=protocol,
            chair=chair,
            adjusters=[adjuster],
            justering_time_place="Regionens kansli, Östersund",
        )
        services.meeting_update(actor=None, meeting=held, status=Meeting.Status.HELD)
        signatories = [chair.user, adjuster.user]
        if all(signatories):
            protocol = services.protocol_send_for_justering(actor=None, protocol=protocol)
            assert protocol.reading_copy is not None
            read = services.render_job_run(job_id=protocol.reading_copy.pk).sha256
            for user in signatories:
                services.protocol_decide(
                    actor=user,
                    protocol=protocol,
                    approve=True,
                    read_sha256=read,
                    authentication=Approval.Authentication.PASSWORD_AND_CODE,
                )

    if not council.meetings.filter(starts_at__gte=timezone.now()).exists():
        day = timezone.localdate() + datetime.timedelta(days=21)
        (coming,) = services.meeting_plan(
            actor=None,
            body=council,
            starts=[_aware(day.year, day.month, day.day, 13, 0)],
            place="Regionens hus, Östersund",
            remote_link="https://meet.example.org/samverkansradet",
            duration=datetime.timedelta(hours=3),
        )
        services.agenda_add_case(
            actor=None,
            meeting=coming,
            case=deferred,
            presenter=presenter,
            proposal="Rådet föreslår att en plan tas fram i början av varje år som pekar ut "
            "tre–fyra strategiska frågor för rådet.",
        )
        services.agenda_add_case(
            actor=None,
            meeting=coming,
            case=follow_up,
            proposal="Informationen noteras.",
        )
        # Illustrative: a closed item with a confidential document, for the members.
        staffing = _case(
            None,
            deferred.diarium,
            900,
            day.year,
            body=council,
            title="Förordnande av processledare för samverkansrådet",
            public_title="Personalärende",
            registered_on=timezone.localdate(),
        )
        _document(
            staffing,
            None,
            text="Sekretariatet föreslår att rådet förordnar en processledare för "
            "samverkansrådets arbete med de strategiska frågorna. Underlaget innehåller "
            "uppgifter om sökandenas personliga förhållanden.",
            kind=Document.Kind.MEMO,
            direction=Document.Direction.DRAWN_UP,
            subject="Tjänsteskrivelse om förordnande av processledare",
            document_date=timezone.localdate(),
            confidential=True,
            secrecy_provision="OSL 39 kap. 3 §",
            secrecy_date=timezone.localdate(),
            secrecy_authority="Regionstyrelsen",
        )
        services.agenda_add_case(
            actor=None,
            meeting=coming,
            case=staffing,
            public=False,
            proposal="Rådet förordnar processledare enligt sekretariatets förslag.",
        )
        services.agenda_add_standard_items(actor=None, meeting=coming)


def _load_accounts(demo: SimpleNamespace) -> None:
    """Accounts."""
    secretariat, _ = Group.objects.get_or_create(name=SECRETARIAT_GROUP)
    secretariat.permissions.add(
        *Permission.objects.filter(content_type__app_label="councils").exclude(
            codename__startswith="delete_"
        )
    )
    if demo.with_accounts:
        user_model = get_user_model()
        people = {
            "sekretariat": demo.officials["ahren"],
            "ordforande": demo.chair_run,
            "ledamot": Person.objects.get(first_name="Ledamot", last_name="Bergs kommun"),
            "ersattare": Person.objects.get(first_name="Ersättare", last_name="Bergs kommun"),
            "styrelseledamot": demo.chair_rs,
            "kommun": demo.kommun_official,
        }
        for account in DEMO_ACCOUNTS:
            user = user_model.objects.filter(username=account.username).first()
            if user is None:
                user = user_model(username=account.username)
                user.set_password(account.password)
            if account.username == "admin":
                user.is_staff = user.is_superuser = True
            if account.username == "sekretariat":
                user.is_staff = True
            person = people.get(account.username)
            if person is not None:
                user.first_name, user.last_name = person.first_name, person.last_name
                user.email = person.email
            user.save()
            if account.username == "sekretariat":
                user.groups.add(secretariat)
            if person is not None and person.user_id is None:
                person.user = user
                person.save()
