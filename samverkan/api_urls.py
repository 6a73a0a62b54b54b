from django.urls import path, re_path

from samverkan import api, openapi

app_name = "api"

OP = "oparl/v1/"

urlpatterns = [
    path("openapi.json", openapi.openapi_json, name="openapi"),
    path(f"{OP}system", api.system, name="system"),
    path(f"{OP}bodies", api.bodies, name="bodies"),
    path(f"{OP}bodies/<id:pk>", api.body, name="body"),
    path(f"{OP}bodies/<id:pk>/organizations", api.body_organizations, name="body-organizations"),
    path(f"{OP}bodies/<id:pk>/persons", api.body_persons, name="body-persons"),
    path(f"{OP}bodies/<id:pk>/meetings", api.body_meetings, name="body-meetings"),
    path(f"{OP}bodies/<id:pk>/papers", api.body_papers, name="body-papers"),
    path(f"{OP}bodies/<id:pk>/agendaitems", api.body_agendaitems, name="body-agendaitems"),
    path(f"{OP}bodies/<id:pk>/consultations", api.body_consultations, name="body-consultations"),
    path(f"{OP}bodies/<id:pk>/files", api.body_files, name="body-files"),
    path(f"{OP}bodies/<id:pk>/memberships", api.body_memberships, name="body-memberships"),
    path(f"{OP}bodies/<id:pk>/locations", api.body_locations, name="body-locations"),
    path(
        f"{OP}bodies/<id:pk>/legislativeterms",
        api.body_legislativeterms,
        name="body-legislativeterms",
    ),
    path(
        f"{OP}bodies/<id:pk>/legislativeterms/<id:start>",
        api.legislativeterm,
        name="legislativeterm",
    ),
    path(f"{OP}organizations/<id:pk>", api.organization, name="organization"),
    path(
        f"{OP}organizations/<id:pk>/meetings",
        api.organization_meetings,
        name="organization-meetings",
    ),
    path(f"{OP}persons/<id:pk>", api.person, name="person"),
    path(f"{OP}memberships/<id:pk>", api.membership, name="membership"),
    path(f"{OP}meetings/<id:pk>", api.meeting, name="meeting"),
    path(f"{OP}meetings/<id:pk>/protocol", api.meeting_protocol, name="meeting-protocol"),
    path(f"{OP}meetings/<id:pk>/invitation", api.meeting_invitation, name="meeting-invitation"),
    path(f"{OP}locations/<id:pk>", api.location, name="location"),
    path(f"{OP}agendaitems/<id:pk>", api.agendaitem, name="agendaitem"),
    path(f"{OP}consultations/<id:pk>", api.consultation, name="consultation"),
    path(f"{OP}papers/<id:pk>", api.paper, name="paper"),
    path(f"{OP}files/<id:pk>", api.file, name="file"),
    path("v1/decisions", api.decisions, name="decisions"),
    path("v1/decisions/<id:pk>", api.decision, name="decision"),
    path("v1/agreements", api.agreements, name="agreements"),
    path("v1/agreements/<id:pk>", api.agreement, name="agreement"),
    path("v1/agreements/<id:pk>/assessments/<id:year>", api.assessments, name="assessments"),
    path("v1/followups", api.followups, name="followups"),
    path("v1/recommendations", api.recommendations, name="recommendations"),
    path("v1/recommendations/<id:pk>", api.recommendation, name="recommendation"),
    re_path(r"^(?P<rest>.*)$", api.not_found, name="not-found"),
]
