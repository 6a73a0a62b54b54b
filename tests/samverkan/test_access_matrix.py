"""The access-control matrix: every URL of the portal (pages, downloads, API, feeds,
htmx fragments; the Django admin is Django's own) is requested as each role, and the
answer must be the one written here. A URL added without an entry fails the test.

Statuses: 200 shown; 302 sent elsewhere (to log in, or on to the published page); 403
refused (a page the role may never use); 404 not found (an object the role may not see
looks like one that does not exist); 405 the method is wrong (actions are POST only).
"""

from __future__ import annotations

import datetime
import io
import re
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from agreements import services as agreement_services
from agreements.models import Activity
from archive import services as archive_services
from base.accounts import ApiToken
from councils import services
from councils.models import Paragraph, RenderJob, RetentionRule
from followups import services as followup_services
from followups.models import Finding, PlanItem, Theme
from recommendations import services as recommendation_services
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "outsider", "kommun", "member_a", "member_b", "substitute", "staff", "admin"]

# Common rows: the status for each role, in the order of ROLES.
PUBLIC = (200,) * 8
LOGIN = (302, 200, 200, 200, 200, 200, 200, 200)
STAFF = (302, 403, 403, 403, 403, 403, 200, 200)
POST = (405,) * 8
STAFF_POST = (302,) + (403,) * 5 + (405,) * 2  # a secretariat action: GET is not allowed
LOGIN_POST = (302,) + (405,) * 7  # an action of a logged-in person
SECRET = (404, 404, 404, 200, 404, 200, 200, 200)  # members of arena A and its ersättare
DRAFT = (404, 404, 404, 404, 404, 404, 200, 200)  # unpublished: the secretariat only
ASSESS = (302, 302, 200, 302, 302, 302, 200, 200)
PAYROLL = (302, 404, 404, 404, 404, 404, 200, 200)
HEALTH = (
    (0,) * 8
)  # 200 or 503 by whether a worker answers, whoever asks  # the region and the kommun; others away


def _walk(patterns: list[Any], namespace: str = "") -> list[str]:
    names = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = pattern.namespace or ""
            prefix = f"{namespace}:{inner}" if namespace and inner else inner or namespace
            names += _walk(pattern.url_patterns, prefix)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.append(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names


@pytest.fixture
def matrix(pact: dict[str, Any], django_capture_on_commit_callbacks: Any) -> dict[str, Any]:
    w = pact
    body, case = w["body_a"], w["case"]
    (meeting,) = services.meeting_plan(
        actor=None, body=body, starts=[timezone.now() + datetime.timedelta(days=7)], place="Hus"
    )
    services.agenda_add_standard_items(actor=None, meeting=meeting)
    closed = services.agenda_add_case(actor=None, meeting=meeting, case=case, public=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.kallelse_send(actor=None, meeting=meeting)
    services.protocol_start(actor=None, meeting=meeting)
    services.paragraphs_create_for_agenda(actor=None, meeting=meeting)
    paragraph = Paragraph.objects.filter(meeting=meeting).order_by("number").first()
    job = RenderJob.objects.create(kind=RenderJob.Kind.KALLELSE, meeting=meeting, internal=True)
    agreement = w["agreement"]
    activity = agreement_services.record_save(
        actor=None,
        instance=Activity(agreement=agreement, year=2020),
        kind=Activity.Kind.OTHER,
        title="Möte",
        owner=w["region"],
        due_on=datetime.date(2020, 2, 1),
    )
    area = agreement.areas.first()
    followup = followup_services.followup_create(
        actor=None,
        agreement=agreement,
        year=2019,
        title="Uppföljning",
        body=w["body_b"],
        questions=["Fråga?"],
    )
    theme, _ = Theme.objects.get_or_create(name="Dialog")
    finding = followup_services.record_save(
        actor=None, instance=Finding(followup=followup, theme=theme), text="Iakttagelse"
    )
    assignment = followup_services.assignment_create(
        actor=None,
        given_by=body,
        given_on=datetime.date(2020, 1, 1),
        case=case,
        title="Uppdrag",
        owner="Regiondirektören",
        due_on=datetime.date(2020, 6, 1),
    )
    question = followup_services.strategic_question_save(
        actor=None, body=body, year=2026, title="Fokusfråga"
    )
    plan_item = followup_services.record_save(
        actor=None,
        instance=PlanItem(body=body, year=2026),
        month=6,
        subject="Samverkansavtalet",
    )
    report = followup_services.report_get_or_create(actor=None, agreement=agreement, year=2019)
    section = followup_services.section_save(actor=None, report=report, heading="A", body="B")
    version = followup_services.report_compile(actor=None, report=report)
    version_job = followup_services.report_version_job(version)
    assert version_job is not None
    services.render_job_run(job_id=version_job.pk)  # a draft with its PDF: still not public
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    watch_owner = w["member_a"]
    from councils.alerts import unsubscribe_token
    from councils.models import Watch

    watch = services.watch_add(actor=watch_owner, kind=Watch.Kind.BODY, body=body)
    token = services.calendar_token_renew(user=watch_owner)
    ApiToken.issue(user=watch_owner, name="x")
    with django_capture_on_commit_callbacks(execute=True):  # built: its download answers
        export = archive_services.archive_export_request(actor=None, scope="arende", case=case)
    rule = archive_services.retention_rule_save(
        actor=w["secretariat"],
        rule=RetentionRule(action=RetentionRule.Action.DESTROY, years=10, basis="DHP 1"),
    )
    return {
        **w,
        "admin": admin,
        "kommun": w["krokom"],
        "substitute": w["substitute_a"],
        "staff": w["secretariat"],
        "meeting": meeting,
        "closed": closed,
        "paragraph": paragraph,
        "job": job,
        "activity": activity,
        "area": area,
        "followup": followup,
        "finding": finding,
        "assignment": assignment,
        "question": question,
        "plan_item": plan_item,
        "report": report,
        "section": section,
        "version": version,
        "watch": watch,
        "unsubscribe": unsubscribe_token(watch),
        "token": token.token,
        "export": export,
        "rule": rule,
        # Each party asked for its own adoption of the agreement (issue 32).
        "recommendation": recommendation_services.recommendation_create_for_agreement(
            actor=None, agreement=agreement
        ),
    }


def _entries(m: dict[str, Any]) -> dict[str, tuple[str, tuple[int, ...]]]:
    body, case, meeting = m["body_a"], m["case"], m["meeting"]
    a, pub, sec = m["agreement"].pk, m["public_doc"].pk, m["secret_doc"].pk
    org = body.organisation_id
    mem = body.memberships.first().pk
    person = body.memberships.first().person_id
    open_item = meeting.agenda_items.order_by("position").first().pk
    fu, p = m["followup"].pk, m["paragraph"].pk
    dialogue = m["followup"].dialogues.first().pk
    slug = body.slug
    krokom = m["kommuner"]["Krokom"]
    rec = m["recommendation"]
    return {
        "home": ("/", PUBLIC),
        "healthz": ("/healthz", HEALTH),
        "search": ("/sok/?q=samverkan", PUBLIC),
        "open-data": ("/oppna-data/", PUBLIC),
        "accessibility": ("/tillganglighet/", PUBLIC),
        "login": ("/logga-in/", PUBLIC),
        "logout": ("/logga-ut/", POST),
        "account": ("/konto/", LOGIN),
        "logout-everywhere": ("/konto/logga-ut-overallt/", LOGIN_POST),
        "two-factor": ("/konto/tvastegs/", (302,) * 8),  # without a device: on to set one up
        "two-factor-setup": ("/konto/tvastegs/ny/", LOGIN),
        "password_change": ("/konto/losenord/", LOGIN),
        "password_change_done": ("/konto/losenord/klart/", LOGIN),
        "password_reset": ("/glomt-losenord/", PUBLIC),
        "password_reset_done": ("/glomt-losenord/skickat/", PUBLIC),
        "password_reset_confirm": ("/nytt-losenord/MQ/fel-nyckel/", PUBLIC),
        "password_reset_complete": ("/nytt-losenord/klart/", PUBLIC),
        "set_language": ("/i18n/setlang/", (302,) * 8),
        "choose-language": ("/sprak/en/?next=/", (302,) * 8),
        "favicon": ("/favicon.ico", (302,) * 8),
        "api:openapi": ("/api/openapi.json", PUBLIC),
        "api:system": ("/api/oparl/v1/system", PUBLIC),
        "api:bodies": ("/api/oparl/v1/bodies", PUBLIC),
        "api:body": (f"/api/oparl/v1/bodies/{org}", PUBLIC),
        "api:body-organizations": (f"/api/oparl/v1/bodies/{org}/organizations", PUBLIC),
        "api:body-persons": (f"/api/oparl/v1/bodies/{org}/persons", PUBLIC),
        "api:body-meetings": (f"/api/oparl/v1/bodies/{org}/meetings", PUBLIC),
        "api:body-papers": (f"/api/oparl/v1/bodies/{org}/papers", PUBLIC),
        "api:body-agendaitems": (f"/api/oparl/v1/bodies/{org}/agendaitems", PUBLIC),
        "api:body-consultations": (f"/api/oparl/v1/bodies/{org}/consultations", PUBLIC),
        "api:body-files": (f"/api/oparl/v1/bodies/{org}/files", PUBLIC),
        "api:body-memberships": (f"/api/oparl/v1/bodies/{org}/memberships", PUBLIC),
        "api:body-locations": (f"/api/oparl/v1/bodies/{org}/locations", PUBLIC),
        "api:body-legislativeterms": (f"/api/oparl/v1/bodies/{org}/legislativeterms", PUBLIC),
        "api:legislativeterm": (f"/api/oparl/v1/bodies/{org}/legislativeterms/2019", PUBLIC),
        "api:organization": (f"/api/oparl/v1/organizations/{body.pk}", PUBLIC),
        "api:organization-meetings": (f"/api/oparl/v1/organizations/{body.pk}/meetings", PUBLIC),
        "api:person": (f"/api/oparl/v1/persons/{person}", PUBLIC),
        "api:membership": (f"/api/oparl/v1/memberships/{mem}", PUBLIC),
        "api:meeting": (f"/api/oparl/v1/meetings/{meeting.pk}", PUBLIC),
        # No justerat protocol with its final PDF: no resultsProtocol for anyone.
        "api:meeting-protocol": (f"/api/oparl/v1/meetings/{meeting.pk}/protocol", (404,) * 8),
        # The kallelse was sent and its public PDF made: public, as the agenda is.
        "api:meeting-invitation": (f"/api/oparl/v1/meetings/{meeting.pk}/invitation", PUBLIC),
        "api:location": (f"/api/oparl/v1/locations/{meeting.pk}", PUBLIC),
        "api:agendaitem": (f"/api/oparl/v1/agendaitems/{m['closed'].pk}", SECRET),
        "api:consultation": (f"/api/oparl/v1/consultations/{m['closed'].pk}", SECRET),
        "api:paper": (f"/api/oparl/v1/papers/{case.pk}", PUBLIC),
        "api:file": (f"/api/oparl/v1/files/{sec}", (404,) * 8),  # no file: not an OParl File
        "api:decisions": ("/api/v1/decisions", PUBLIC),
        # The § is a draft: no decision for anyone, not even the secretariat.
        "api:decision": (f"/api/v1/decisions/{p}", (404,) * 8),
        "api:agreements": ("/api/v1/agreements", PUBLIC),
        "api:agreement": (f"/api/v1/agreements/{a}", PUBLIC),
        "api:assessments": (
            f"/api/v1/agreements/{a}/assessments/2019",
            (404, 404, 200, 404, 404, 404, 200, 200),
        ),
        "api:followups": ("/api/v1/followups", PUBLIC),
        "api:recommendations": ("/api/v1/recommendations", PUBLIC),
        "api:recommendation": (f"/api/v1/recommendations/{rec.pk}", PUBLIC),
        "api:not-found": ("/api/finns-inte", (404,) * 8),
        "councils:calendar-all": ("/kalender/alla.ics", PUBLIC),
        "councils:calendar-private": (f"/kalender/privat/{m['token']}.ics", PUBLIC),
        "councils:calendar-body": (f"/arenor/{slug}/kalender.ics", PUBLIC),
        "councils:calendar-address-renew": ("/mina-sammantraden/kalender/", LOGIN_POST),
        "councils:watches": ("/bevakningar/", LOGIN),
        "councils:watch-add": ("/bevakningar/ny/", LOGIN_POST),
        "councils:watch-change": (f"/bevakningar/{m['watch'].pk}/", LOGIN_POST),
        "councils:watch-unsubscribe": (f"/bevakningar/avsluta/{m['unsubscribe']}/", PUBLIC),
        "councils:feed-kallelser": ("/flode/kallelser.rss", PUBLIC),
        "councils:feed-kallelser-atom": ("/flode/kallelser.atom", PUBLIC),
        "councils:feed-protocols": ("/flode/protokoll.rss", PUBLIC),
        "councils:feed-protocols-atom": ("/flode/protokoll.atom", PUBLIC),
        "councils:feed-body-kallelser": (f"/arenor/{slug}/kallelser.rss", PUBLIC),
        "councils:feed-body-kallelser-atom": (f"/arenor/{slug}/kallelser.atom", PUBLIC),
        "councils:feed-body-protocols": (f"/arenor/{slug}/protokoll.rss", PUBLIC),
        "councils:feed-body-protocols-atom": (f"/arenor/{slug}/protokoll.atom", PUBLIC),
        "councils:feed-case-documents": (f"/diarium/{case.pk}/handlingar.rss", PUBLIC),
        "councils:feed-case-documents-atom": (f"/diarium/{case.pk}/handlingar.atom", PUBLIC),
        "councils:body-list": ("/arenor/", PUBLIC),
        "councils:overview": ("/arenor/oversikt/", PUBLIC),
        "councils:body": (f"/arenor/{slug}/", PUBLIC),
        "councils:body-meetings": (f"/arenor/{slug}/sammantraden/", PUBLIC),
        "councils:body-membership-history": (f"/arenor/{slug}/ledamoter/andringar/", PUBLIC),
        "councils:meeting-plan": (f"/arenor/{slug}/sammantraden/planera/", STAFF),
        "councils:meeting": (f"/sammantraden/{meeting.pk}/", PUBLIC),
        "councils:meeting-edit": (f"/sammantraden/{meeting.pk}/andra/", STAFF),
        # Reviewed (GET) before it is sent (POST): the secretariat's.
        "councils:kallelse-send": (f"/sammantraden/{meeting.pk}/kallelse/", STAFF),
        "councils:meeting-ics": (f"/sammantraden/{meeting.pk}/kalender.ics", PUBLIC),
        "councils:agenda-standard-items": (
            f"/sammantraden/{meeting.pk}/dagordning/standardpunkter/",
            STAFF_POST,
        ),
        "councils:agenda-add-case": (f"/sammantraden/{meeting.pk}/dagordning/arende/", STAFF),
        "councils:agenda-item-edit": (f"/dagordningspunkter/{open_item}/andra/", STAFF),
        "councils:agenda-item-up": (f"/dagordningspunkter/{open_item}/upp/", STAFF_POST),
        "councils:agenda-item-down": (f"/dagordningspunkter/{open_item}/ner/", STAFF_POST),
        "councils:agenda-item-remove": (f"/dagordningspunkter/{open_item}/ta-bort/", STAFF_POST),
        "councils:agenda-note": (f"/dagordningspunkter/{open_item}/anteckning/", LOGIN_POST),
        "councils:my-meetings": ("/mina-sammantraden/", LOGIN),
        "councils:protocol": (f"/sammantraden/{meeting.pk}/protokoll/", DRAFT),
        "councils:protocol-start": (f"/sammantraden/{meeting.pk}/protokoll/paborja/", STAFF_POST),
        "councils:protocol-edit": (f"/sammantraden/{meeting.pk}/protokoll/andra/", STAFF),
        "councils:attendance": (f"/sammantraden/{meeting.pk}/protokoll/narvaro/", STAFF),
        "councils:protocol-send": (f"/sammantraden/{meeting.pk}/protokoll/justering/", STAFF_POST),
        "councils:protocol-decide": (f"/sammantraden/{meeting.pk}/protokoll/beslut/", LOGIN_POST),
        "councils:paragraph-edit": (f"/paragrafer/{p}/andra/", STAFF),
        "councils:paragraph-approve-now": (f"/paragrafer/{p}/omedelbar-justering/", STAFF_POST),
        "councils:notice-board": ("/anslagstavla/", PUBLIC),
        "councils:protocol-pdf": (f"/sammantraden/{meeting.pk}/protokoll/pdf/", POST),
        "councils:kallelse-pdf": (f"/sammantraden/{meeting.pk}/kallelse/pdf/", POST),
        "councils:packet-pdf": (f"/sammantraden/{meeting.pk}/handlingar/pdf/", LOGIN_POST),
        "councils:extract-pdf": (f"/paragrafer/{p}/utdrag/", POST),
        "councils:render-job": (f"/pdf/{m['job'].pk}/", SECRET),
        "councils:render-job-download": (f"/pdf/{m['job'].pk}/fil/", (404,) * 8),  # not made yet
        "councils:render-job-view": (f"/pdf/{m['job'].pk}/visa/", (404,) * 8),  # not made yet
        "councils:verify": ("/verifiera/", PUBLIC),
        "councils:seal-certificates": ("/verifiera/sigill.pem", PUBLIC),
        "councils:demo-crl": ("/verifiera/demo-ca.crl", PUBLIC),  # the demo seal's list
        "councils:person-list": ("/personer/", PUBLIC),
        "councils:person": (f"/personer/{person}/", PUBLIC),
        "councils:person-anonymise": (f"/personer/{person}/anonymisera/", STAFF_POST),
        "councils:organisation-list": ("/organisationer/", PUBLIC),
        "councils:organisation": (f"/organisationer/{body.organisation.slug}/", PUBLIC),
        # An organisation's arvoden: the secretariat, and its arvodesadministratör (none here).
        "councils:organisation-arvoden": (f"/organisationer/{krokom.slug}/arvoden/", PAYROLL),
        "councils:organisation-arvoden-file": (
            f"/organisationer/{krokom.slug}/arvoden.xlsx",
            PAYROLL,
        ),
        "councils:my-attendance": ("/mina-sammantraden/narvaro/", LOGIN),
        "councils:my-attendance-file": ("/mina-sammantraden/narvaro.csv", LOGIN),
        "councils:assessor-add": (f"/organisationer/{krokom.slug}/bedomningsansvarig/", STAFF_POST),
        "councils:assessor-remove": (
            f"/organisationer/bedomningsansvarig/{krokom.person_roles.get().pk}/ta-bort/",
            STAFF_POST,
        ),
        "councils:case-list": ("/diarium/", PUBLIC),
        "councils:case-list-csv": ("/diarium/export.csv", PUBLIC),
        "councils:decision-list": ("/beslut/", PUBLIC),
        "councils:decision-list-csv": ("/beslut/export.csv", PUBLIC),
        "councils:attendance-csv": ("/narvaro/export.csv", PUBLIC),
        "councils:case-register": ("/diarium/nytt/", STAFF),
        "councils:case": (f"/diarium/{case.pk}/", PUBLIC),
        "councils:case-edit": (f"/diarium/{case.pk}/andra/", STAFF),
        "councils:document-register": (f"/diarium/{case.pk}/handlingar/ny/", STAFF),
        "councils:document": (f"/handlingar/{sec}/", SECRET),
        "councils:document-edit": (f"/handlingar/{pub}/andra/", STAFF),
        "councils:personal-data-list": ("/personuppgifter/", STAFF),
        "councils:reminder-list": ("/paminnelser/", STAFF),
        # Sign-in through a provider: none is configured here, so neither exists.
        "sso-start": ("/konto/inloggning/krokom/", (404,) * 8),
        "sso-callback": ("/konto/inloggning/krokom/tillbaka/", (404,) * 8),
        # The provider posts its logout tokens; a GET is not allowed (a POST finds none).
        "sso-backchannel-logout": ("/konto/inloggning/krokom/utloggning/", POST),
        "saml-metadata": ("/konto/saml/metadata/", PUBLIC),
        "saml-acs": ("/konto/saml/acs/", POST),
        # Without a SAML message the logout service only sends the browser home.
        "saml-logout": ("/konto/saml/utloggning/", (302,) * 8),
        # The archive: the secretariat only (a delivery holds confidential records).
        "archive:index": ("/arkiv/", STAFF),
        "archive:export-request": ("/arkiv/leveranser/ny/", STAFF_POST),
        "archive:export": (f"/arkiv/leveranser/{m['export'].pk}/", STAFF),
        "archive:export-download": (
            f"/arkiv/leveranser/{m['export'].pk}/ladda-ned/",
            STAFF,
        ),
        "archive:disposal": ("/arkiv/gallring/", STAFF),
        "archive:retention-rule-add": ("/arkiv/gallringsregler/ny/", STAFF),
        "archive:retention-rule": (f"/arkiv/gallringsregler/{m['rule'].pk}/", STAFF),
        "archive:retention-rule-delete": (
            f"/arkiv/gallringsregler/{m['rule'].pk}/ta-bort/",
            STAFF_POST,
        ),
        "councils:personal-data-decide": (f"/personuppgifter/document/{pub}/", STAFF_POST),
        "councils:document-download": (f"/handlingar/{sec}/fil/", (404,) * 8),  # no file: 404
        "councils:document-view": (f"/handlingar/{sec}/visa/", (404,) * 8),
        "agreements:list": ("/overenskommelser/", PUBLIC),
        "agreements:create": ("/overenskommelser/ny/", STAFF),
        "agreements:detail": (f"/overenskommelser/{a}/", PUBLIC),
        "agreements:edit": (f"/overenskommelser/{a}/andra/", STAFF),
        "agreements:changes": (f"/overenskommelser/{a}/andringar/", PUBLIC),
        "agreements:part-create": (f"/overenskommelser/{a}/omrade/ny/", STAFF),
        "agreements:part-edit": (f"/overenskommelser/{a}/omrade/{m['area'].pk}/andra/", STAFF),
        "agreements:part-delete": (
            f"/overenskommelser/{a}/omrade/{m['area'].pk}/ta-bort/",
            STAFF_POST,
        ),
        "agreements:annual-plan": (f"/overenskommelser/{a}/arsplan/2020/", PUBLIC),
        "agreements:annual-plan-standard": (
            f"/overenskommelser/{a}/arsplan/2020/standard/",
            STAFF_POST,
        ),
        "agreements:activity-create": (f"/overenskommelser/{a}/arsplan/2020/ny/", STAFF),
        "agreements:activity-edit": (
            f"/overenskommelser/{a}/arsplan/2020/{m['activity'].pk}/andra/",
            STAFF,
        ),
        "agreements:case-areas": (f"/diarium/{case.pk}/omraden/", STAFF),
        "followups:list": ("/uppfoljning/", PUBLIC),
        "followups:followup-create": ("/uppfoljning/ny/", STAFF),
        "followups:followup": (f"/uppfoljning/{fu}/", PUBLIC),
        "followups:followup-edit": (f"/uppfoljning/{fu}/andra/", STAFF),
        "followups:part-create": (f"/uppfoljning/{fu}/iakttagelse/ny/", STAFF),
        "followups:part-edit": (f"/uppfoljning/{fu}/iakttagelse/{m['finding'].pk}/andra/", STAFF),
        "followups:dialogue": (f"/dialoger/{dialogue}/", PUBLIC),
        "followups:dialogue-edit": (f"/dialoger/{dialogue}/andra/", STAFF),
        "followups:my-assessments": ("/bedomning/", LOGIN),
        "followups:assessments": (f"/overenskommelser/{a}/bedomning/2019/", ASSESS),
        "followups:assessments-csv": (
            f"/overenskommelser/{a}/bedomning/2019/export.csv",
            (404, 404, 200, 404, 404, 404, 200, 200),
        ),
        "followups:assignments": ("/uppdrag/", PUBLIC),
        "followups:assignment-create": ("/uppdrag/nytt/", STAFF),
        "followups:assignment": (f"/uppdrag/{m['assignment'].pk}/", PUBLIC),
        "followups:assignment-edit": (f"/uppdrag/{m['assignment'].pk}/andra/", STAFF),
        "followups:assignment-agenda": (f"/uppdrag/{m['assignment'].pk}/dagordning/", STAFF_POST),
        "followups:assignment-from-paragraph": (f"/paragrafer/{p}/uppdrag/", STAFF),
        "followups:annual-focus": (f"/arenor/{slug}/fokus/2026/", PUBLIC),
        "followups:question-create": (f"/arenor/{slug}/fokus/2026/fraga/ny/", STAFF),
        "followups:question-edit": (
            f"/arenor/{slug}/fokus/2026/fraga/{m['question'].pk}/andra/",
            STAFF,
        ),
        "followups:plan-item-create": (f"/arenor/{slug}/fokus/2026/uppfoljningsplan/ny/", STAFF),
        "followups:plan-item-edit": (
            f"/arenor/{slug}/fokus/2026/uppfoljningsplan/{m['plan_item'].pk}/andra/",
            STAFF,
        ),
        "followups:reports": ("/verksamhetsberattelse/", PUBLIC),
        "followups:reports-year": ("/verksamhetsberattelse/2019/", PUBLIC),
        "followups:report-start": ("/verksamhetsberattelse/ny/", STAFF_POST),
        "followups:report": (f"/verksamhetsberattelser/{m['report'].pk}/", STAFF),
        "followups:section-create": (
            f"/verksamhetsberattelser/{m['report'].pk}/avsnitt/nytt/",
            STAFF,
        ),
        "followups:section-edit": (
            f"/verksamhetsberattelser/{m['report'].pk}/avsnitt/{m['section'].pk}/andra/",
            STAFF,
        ),
        "followups:report-compile": (
            f"/verksamhetsberattelser/{m['report'].pk}/sammanstall/",
            STAFF_POST,
        ),
        "followups:version": (f"/verksamhetsberattelser/versioner/{m['version'].pk}/", DRAFT),
        "followups:version-adopt": (
            f"/verksamhetsberattelser/versioner/{m['version'].pk}/faststall/",
            STAFF_POST,
        ),
        "followups:version-pdf": (
            f"/verksamhetsberattelser/versioner/{m['version'].pk}/pdf/",
            (404,) * 6 + (302, 302),  # on to the PDF job's download
        ),
        "followups:statistics": ("/statistik/", PUBLIC),
        # Recommendations: public records; each organisation's decision is recorded by
        # its own people (the kommun user for Krokom) and the secretariat.
        "recommendations:list": ("/rekommendationer/", PUBLIC),
        "recommendations:list-csv": ("/rekommendationer/export.csv", PUBLIC),
        "recommendations:list-xlsx": ("/rekommendationer/export.xlsx", PUBLIC),
        "recommendations:detail": (f"/rekommendationer/{rec.pk}/", PUBLIC),
        "recommendations:answer-date": (f"/rekommendationer/{rec.pk}/svarsdatum/", STAFF_POST),
        "recommendations:addressee-add": (f"/rekommendationer/{rec.pk}/mottagare/", STAFF_POST),
        "recommendations:agreement-request": (f"/rekommendationer/avtal/{a}/", STAFF_POST),
        "recommendations:decision": (
            f"/rekommendationer/beslut/{rec.decisions.get(organisation=krokom).pk}/",
            (302, 404, 200, 404, 404, 404, 200, 200),
        ),
        "recommendations:feed-organisation": (
            f"/organisationer/{krokom.slug}/rekommendationer.rss",
            PUBLIC,
        ),
        "councils:registrator-change": (f"/organisationer/{krokom.slug}/registrator/", STAFF_POST),
        "followups:statistics-csv": ("/statistik/meetings.csv", PUBLIC),
    }


def test_every_url_answers_each_role_as_written(matrix: dict[str, Any]) -> None:
    entries = _entries(matrix)
    names = set(_walk(get_resolver().url_patterns))
    missing = names - set(entries)
    assert not missing, f"URLs without an entry in the access matrix: {sorted(missing)}"
    assert not set(entries) - names, "entries for URLs that no longer exist"
    clients = {role: client_for(None if role == "anonymous" else matrix[role]) for role in ROLES}
    wrong = []
    for name, (url, expected) in sorted(entries.items()):
        for role, status in zip(ROLES, expected, strict=True):
            got = clients[role].get(url).status_code
            if status == 0 and got in (200, 503):
                continue
            if got != status:
                wrong.append(f"{name} {url} as {role}: {got}, expected {status}")
    assert not wrong, "\n".join(wrong)


def test_sequential_ids_do_not_open_hidden_objects(matrix: dict[str, Any]) -> None:
    """Walking the ids of documents, § and report versions as the public finds only
    what the public may see: every hidden one answers 404, like a missing one."""
    client = client_for(None)
    from councils.models import Document
    from followups.models import ReportVersion

    top = max(Document.objects.values_list("pk", flat=True)) + 3
    for pk in range(1, top):
        document = Document.objects.filter(pk=pk).first()
        expected = 200 if document is not None and not document.confidential else 404
        assert client.get(f"/handlingar/{pk}/").status_code == expected, pk
        is_file = expected == 200 and bool(document and document.file)  # OParl: with its file
        assert client.get(f"/api/oparl/v1/files/{pk}").status_code == (200 if is_file else 404)
    for pk in range(1, max(ReportVersion.objects.values_list("pk", flat=True)) + 3):
        assert client.get(f"/verksamhetsberattelser/versioner/{pk}/").status_code == 404


def test_an_anonymised_person_is_named_only_in_the_archived_protocol(
    matrix: dict[str, Any],
) -> None:
    """Data protection: someone who left office disappears from the public pages, the
    API and search, while the protocols keep the name."""
    from councils.models import Attendance, Membership, Person

    person = Person.objects.get(user=matrix["member_b"])
    name_before = person.full_name
    attended = Attendance.objects.filter(meeting=matrix["meeting"]).first()
    assert attended is not None
    staff = client_for(matrix["staff"])
    refused = staff.post(f"/personer/{attended.person_id}/anonymisera/")
    assert refused.status_code == 302  # still holds a seat: refused with a message
    assert Person.objects.get(pk=attended.person_id).anonymised_at is None

    Membership.objects.filter(person=person).update(end=datetime.date(2020, 1, 1))
    staff.post(f"/personer/{person.pk}/anonymisera/")
    person.refresh_from_db()
    assert person.anonymised_at is not None
    public = client_for(None)
    assert public.get(f"/personer/{person.pk}/").status_code == 404
    assert person.full_name not in public.get("/personer/").content.decode()
    assert public.get(f"/api/oparl/v1/persons/{person.pk}").status_code == 404
    assert person.full_name not in public.get("/sok/", {"q": person.last_name}).content.decode()
    assert staff.get(f"/personer/{person.pk}/").status_code == 200
    # The record itself keeps the name, for the protocols that are archived records.
    assert person.full_name == name_before


def test_the_admin_is_for_staff_accounts_only(matrix: dict[str, Any]) -> None:
    """The Django admin (Django's own pages): only administrators and staff accounts;
    everyone else is sent to its login."""
    for role in ROLES:
        client = client_for(None if role == "anonymous" else matrix[role])
        for url in ("/admin/", "/admin/councils/document/", "/admin/axes/accesslog/"):
            status = client.get(url).status_code
            assert status == (200 if role == "admin" else 302), (role, url, status)


def test_no_personnummer_is_kept_anywhere() -> None:
    """Data protection: what the portal keeps about a person is name, role, party and
    organisation (and contact details for the secretariat); never a personnummer."""
    from django.apps import apps

    for model in apps.get_models():
        for field in model._meta.get_fields():
            words = f"{field.name} {getattr(field, 'verbose_name', '')}".lower()
            assert "personnummer" not in words, (model, field.name)
            assert "personal identity number" not in words, (model, field.name)


#: The roles that read arena A's closed items and the internal title of its ärenden.
SEES_INTERNAL = {"member_a", "substitute", "staff", "admin"}


def test_each_role_receives_only_the_content_it_may_see(
    matrix: dict[str, Any], mailoutbox: Any
) -> None:
    """Not only the status: what each role is given. The decision list and its CSV
    carry no internal title and no confidential subject for anyone; the closed § only
    for those who read closed items; the API's paper names a consultation only to those
    who may open it, and each one it names answers 200 to them; each kallelse mail
    carries what its recipient sees on the meeting page."""
    from tests.conftest import csv_text
    from tests.factories import make_document
    from tests.files import pdf_bytes

    case, secret = matrix["case"], "Hemlig bilaga med fil"
    data = pdf_bytes(secret)
    make_document(  # an OParl File is a document with its file
        case=case,
        subject=secret,
        confidential=True,
        upload=io.BytesIO(data),
        upload_name="bilaga.pdf",
        upload_size=len(data),
    )
    internal = case.title
    closed = Paragraph.objects.get(agenda_item=matrix["closed"])
    services.paragraph_approve_immediately(actor=None, paragraph=closed)
    assert not closed.public
    for role in ROLES:
        client = client_for(None if role == "anonymous" else matrix[role])
        listing = client.get("/beslut/").content.decode()
        exported = csv_text(client.get("/beslut/export.csv"))
        for text in (listing, exported):
            assert internal not in text, role
            assert secret not in text, role
            assert (closed.title in text) == (role in SEES_INTERNAL), role
        paper = client.get(f"/api/oparl/v1/papers/{case.pk}").json()
        assert len(paper["consultation"]) == (1 if role in SEES_INTERNAL else 0), role
        for embedded in paper["consultation"] + paper["auxiliaryFile"]:
            assert client.get(embedded["id"]).status_code == 200, (role, embedded["id"])
        files = {f["name"] for f in paper["auxiliaryFile"]}
        assert (secret in files) == (role in SEES_INTERNAL), role
    by_person = {m.to[0]: m.body for m in mailoutbox}
    for key, sees in (("member_a", True), ("substitute_a", True), ("observer_a", False)):
        body = by_person[matrix[key].person.email]
        assert (internal in body) == sees, key  # the closed item, under its internal title
        assert (case.diarienummer in body) == sees, key


TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def test_pages_kept_per_class_give_each_role_what_it_renders_for_itself(
    matrix: dict[str, Any], settings: Any
) -> None:
    """Issue 34: every page and API answer kept per permission class
    (``base.classcache``), as every role, cold (rendered for the person, the class
    cache off) and warm (after each other role has had it, in both orders): the same
    page, but for the form token, which is the person's own. The member and the
    ersättare of arena A are one class: each gets the page the other's request
    rendered, with their own private note in it."""
    from django.urls import resolve

    from base import pagecache
    from councils.models import AgendaItem, AgendaNote

    for key, text in (("member_a", "Ledamotens anteckning"), ("substitute", "Ersättarens rad")):
        AgendaNote.objects.create(item=matrix["closed"], user=matrix[key], text=text)
    entries = _entries(matrix)
    urls = sorted(
        url
        for url, _expected in entries.values()
        if getattr(resolve(url.split("?")[0]).func, "class_cached", False)
    )
    assert len(urls) >= 30, urls  # start, meeting, protocol, arena, ärende; the API
    assert AgendaItem.objects.filter(meeting=matrix["meeting"]).exists()
    clients = {role: client_for(None if role == "anonymous" else matrix[role]) for role in ROLES}

    def page(role: str, url: str) -> tuple[int, str, str]:
        response = clients[role].get(url)
        text = TOKEN.sub("TOKEN", response.content.decode())
        return response.status_code, text, response.headers.get("X-Cache", "")

    settings.SAMVERKAN_CLASS_CACHE = False
    cold = {(role, url): page(role, url)[:2] for role in ROLES for url in urls}
    settings.SAMVERKAN_CLASS_CACHE = True
    served: dict[str, set[str]] = {}
    for order in (ROLES, ROLES[::-1]):
        pagecache.bump()
        for role in order:
            for url in urls:
                status, text, cache = page(role, url)
                assert (status, text) == cold[(role, url)], (role, url, cache)
                served.setdefault(cache, set()).add(role)
    assert {"member_a", "substitute"} <= served["class-hit"]
    meeting_url = f"/sammantraden/{matrix['meeting'].pk}/"
    for key, own, other in (
        ("member_a", "Ledamotens anteckning", "Ersättarens rad"),
        ("substitute", "Ersättarens rad", "Ledamotens anteckning"),
    ):
        text = page(key, meeting_url)[1]
        assert own in text, key
        assert other not in text, key
