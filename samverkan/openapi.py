"""The API's OpenAPI 3.1 description, served at /api/openapi.json. The tests check
every endpoint's answers against the schemas here, so the description stays true."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

URL = {"type": "string", "format": "uri"}
URL_OR_NULL = {"type": ["string", "null"], "format": "uri"}
TEXT = {"type": "string"}
TEXT_OR_NULL = {"type": ["string", "null"]}
MOMENT = {"type": ["string", "null"]}
URLS = {"type": "array", "items": URL}


def _object(kind: str, properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            "id": URL,
            "type": {"const": f"https://schema.oparl.org/1.1/{kind}"},
            **properties,
        },
        "required": ["id", "type", *required],
    }


STAMPS = {"created": MOMENT, "modified": MOMENT}

#: OParl's own object schemas, as published (``samverkan/api/oparl_schema/``, CC BY-SA
#: 4.0): the description does not repeat our reading of the standard.
OPARL_SCHEMAS = {
    path.stem: json.loads(path.read_text())
    for path in sorted((Path(__file__).parent / "api" / "oparl_schema").glob("*.json"))
}

SCHEMAS: dict[str, Any] = {
    **OPARL_SCHEMAS,
    "Error": {
        "type": "object",
        "properties": {
            "type": {"const": "https://schema.oparl.org/1.1/Error"},
            "message": TEXT,
            "debug": TEXT,
        },
        "required": ["type", "message"],
    },
    "Deleted": {
        "type": "object",
        "properties": {"id": URL, "type": TEXT, "deleted": {"const": True}, "modified": MOMENT},
        "required": ["id", "type", "deleted"],
    },
    "Pagination": {
        "type": "object",
        "properties": {
            "totalElements": {"type": "integer"},
            "elementsPerPage": {"type": "integer"},
            "currentPage": {"type": "integer"},
            "totalPages": {"type": "integer"},
        },
        "required": ["totalElements", "elementsPerPage", "currentPage", "totalPages"],
    },
    "Agreement": {
        "type": "object",
        "properties": {
            "id": URL,
            "title": TEXT,
            "kind": TEXT,
            "reference": TEXT,
            "paper": URL,
            "parties": {"type": "array", "items": TEXT},
            "validFrom": TEXT,
            "validUntil": TEXT,
            "endsOn": TEXT,
            "status": {"enum": ["utkast", "antagen", "gallande", "forlangd", "upphord"]},
            "responsibleOrganization": URL,
            "replaces": URL_OR_NULL,
            "areas": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"name": TEXT, "kind": TEXT, "goals": TEXT},
                    "required": ["name", "kind"],
                },
            },
            "web": URL,
        },
        "required": ["id", "title", "reference", "validFrom", "validUntil", "status", "areas"],
    },
    "Decision": {
        "type": "object",
        "properties": {
            "id": URL,
            "paragraph": TEXT,
            "year": {"type": "integer"},
            "number": {"type": "integer"},
            "title": TEXT,
            "kind": {
                "type": "string",
                "enum": ["beslut", "rekommendation", "yttrande", "information", "bordlagt"],
            },
            "kindLabel": TEXT,
            "text": TEXT,
            "public": {"type": "boolean"},
            "justerad": TEXT,
            "organization": URL,
            "meeting": URL,
            "agendaItem": URL_OR_NULL,
            "paper": URL_OR_NULL,
            "reference": TEXT_OR_NULL,
            "web": URL,
        },
        "required": ["id", "paragraph", "title", "kind", "text", "justerad", "meeting", "web"],
    },
    "Recommendation": {
        "type": "object",
        "properties": {
            "id": URL,
            "title": TEXT,
            "text": TEXT,
            "organization": URL,
            "issued": TEXT,
            "answerBy": TEXT,
            "decision": URL_OR_NULL,
            "agendaItem": URL_OR_NULL,
            "agreement": URL_OR_NULL,
            "tally": {
                "type": "object",
                "properties": {
                    name: {"type": "integer", "minimum": 0}
                    for name in (
                        "addressed",
                        "adopted",
                        "declined",
                        "abstained",
                        "notRelevant",
                        "undecided",
                    )
                },
                "required": ["addressed", "adopted", "declined", "undecided"],
            },
            "organizationDecisions": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "organization": {
                            "type": "object",
                            "properties": {"name": TEXT, "body": URL},
                            "required": ["name"],
                        },
                        "action": {"type": "string", "enum": ["anta", "yttra", "informera"]},
                        "role": {
                            "type": "string",
                            "enum": ["Entscheidung", "Anhörung", "Kenntnisnahme"],
                        },
                        "authoritative": {"const": True},
                        "sent": MOMENT,
                        "received": MOMENT,
                        "theirReference": TEXT_OR_NULL,
                        "decided": MOMENT,
                        "decidingBody": {
                            "type": ["string", "null"],
                            "enum": ["fullmaktige", "styrelse", "namnd", "annan", None],
                        },
                        "decidingBodyName": TEXT_OR_NULL,
                        "theirParagraph": TEXT_OR_NULL,
                        "outcome": {
                            "type": ["string", "null"],
                            "enum": [
                                "antagen",
                                "antagen-andrad",
                                "avslagen",
                                "avstar",
                                "ej-aktuell",
                                None,
                            ],
                        },
                        "outcomeLabel": TEXT_OR_NULL,
                        "comment": TEXT_OR_NULL,
                    },
                    "required": ["organization", "action", "role", "outcome"],
                    "additionalProperties": False,
                },
            },
            "web": URL,
            **STAMPS,
        },
        "required": [
            "id",
            "title",
            "organization",
            "issued",
            "answerBy",
            "tally",
            "organizationDecisions",
            "web",
        ],
    },
    "FollowUp": {
        "type": "object",
        "properties": {
            "id": URL,
            "title": TEXT,
            "year": {"type": "integer"},
            "agreement": URL,
            "reference": TEXT_OR_NULL,
            "dialoguesHeld": {"type": "integer"},
            "dialoguesPlanned": {"type": "integer"},
            "remaining": {"type": "array", "items": TEXT},
        },
        "required": ["id", "title", "year", "dialoguesHeld", "dialoguesPlanned", "remaining"],
    },
    "Assessments": {
        "type": "object",
        "properties": {
            "agreement": URL,
            "year": {"type": "integer"},
            "published": {"type": "boolean"},
            "averages": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"area": TEXT, "average": {"type": ["number", "null"]}},
                    "required": ["area", "average"],
                },
            },
            "municipalities": {"type": "array"},
        },
        "required": ["agreement", "year", "published", "averages"],
    },
}


def _list(item: str) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            "data": {
                "type": "array",
                "items": {
                    "anyOf": [
                        {"$ref": f"#/components/schemas/{item}"},
                        {"$ref": "#/components/schemas/Deleted"},
                    ]
                },
            },
            "pagination": {"$ref": "#/components/schemas/Pagination"},
            "links": {"type": "object", "additionalProperties": URL},
        },
        "required": ["data", "pagination", "links"],
    }


LIST_PARAMETERS = [
    {"name": name, "in": "query", "required": False, "schema": schema, "description": text}
    for name, schema, text in (
        ("page", {"type": "integer", "minimum": 1}, "Page number, from 1."),
        ("limit", {"type": "integer", "minimum": 1, "maximum": 200}, "Objects per page."),
        ("created_since", TEXT, "ISO 8601: objects created at or after."),
        ("created_until", TEXT, "ISO 8601: objects created at or before."),
        ("modified_since", TEXT, "ISO 8601: objects changed at or after; deleted ones too."),
        ("modified_until", TEXT, "ISO 8601: objects changed at or before."),
    )
]

#: path (with {pk}-style parameters) → (schema name, is a list, summary)
ENDPOINTS: dict[str, tuple[str, bool, str]] = {
    "/api/oparl/v1/system": ("System", False, "The OParl system"),
    "/api/oparl/v1/bodies": ("Body", True, "Organisations that have arenas"),
    "/api/oparl/v1/bodies/{pk}": ("Body", False, "One body"),
    "/api/oparl/v1/bodies/{pk}/organizations": ("Organization", True, "The body's arenas"),
    "/api/oparl/v1/bodies/{pk}/persons": ("Person", True, "People in the body's arenas"),
    "/api/oparl/v1/bodies/{pk}/meetings": ("Meeting", True, "Meetings of the body's arenas"),
    "/api/oparl/v1/bodies/{pk}/papers": ("Paper", True, "Ärenden handled in the body's arenas"),
    "/api/oparl/v1/bodies/{pk}/agendaitems": ("AgendaItem", True, "Agenda items you may see"),
    "/api/oparl/v1/bodies/{pk}/consultations": ("Consultation", True, "Ärenden on agendas"),
    "/api/oparl/v1/bodies/{pk}/files": ("File", True, "Documents with their files"),
    "/api/oparl/v1/bodies/{pk}/memberships": ("Membership", True, "Seats and roles"),
    "/api/oparl/v1/bodies/{pk}/locations": ("Location", True, "Meetings' places"),
    "/api/oparl/v1/bodies/{pk}/legislativeterms": ("LegislativeTerm", True, "Mandate periods"),
    "/api/oparl/v1/bodies/{pk}/legislativeterms/{start}": ("LegislativeTerm", False, "One"),
    "/api/oparl/v1/organizations/{pk}": ("Organization", False, "One arena"),
    "/api/oparl/v1/organizations/{pk}/meetings": ("Meeting", True, "The arena's meetings"),
    "/api/oparl/v1/persons/{pk}": ("Person", False, "One person"),
    "/api/oparl/v1/memberships/{pk}": ("Membership", False, "One membership"),
    "/api/oparl/v1/meetings/{pk}": ("Meeting", False, "One meeting with its agenda"),
    "/api/oparl/v1/meetings/{pk}/protocol": ("File", False, "A justerat protocol's PDF"),
    "/api/oparl/v1/meetings/{pk}/invitation": ("File", False, "A sent kallelse's PDF"),
    "/api/oparl/v1/locations/{pk}": ("Location", False, "A meeting's place"),
    "/api/oparl/v1/agendaitems/{pk}": ("AgendaItem", False, "One agenda item"),
    "/api/oparl/v1/consultations/{pk}": ("Consultation", False, "One step of an ärendegång"),
    "/api/oparl/v1/papers/{pk}": ("Paper", False, "One ärende"),
    "/api/oparl/v1/files/{pk}": ("File", False, "One document"),
    "/api/v1/decisions": ("Decision", True, "Decisions: the justerade § you may read"),
    "/api/v1/decisions/{pk}": ("Decision", False, "One decision (justerad §)"),
    "/api/v1/agreements": ("Agreement", True, "Agreements (överenskommelser)"),
    "/api/v1/agreements/{pk}": ("Agreement", False, "One agreement"),
    "/api/v1/agreements/{pk}/assessments/{year}": ("Assessments", False, "Assessments"),
    "/api/v1/followups": ("FollowUp", True, "Follow-ups with their dialogue progress"),
    "/api/v1/recommendations": (
        "Recommendation",
        True,
        "Recommendations and each addressed organisation's own decision",
    ),
    "/api/v1/recommendations/{pk}": ("Recommendation", False, "One recommendation"),
}


def _operation(path: str, schema: str, is_list: bool, summary: str) -> dict[str, Any]:
    parameters: list[dict[str, Any]] = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "integer"}}
        for name in ("pk", "start", "year")
        if "{" + name + "}" in path
    ]
    if is_list:
        parameters += LIST_PARAMETERS
    body = {"$ref": f"#/components/schemas/{schema}"} if not is_list else _list(schema)
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    return {
        "get": {
            "summary": summary,
            "parameters": parameters,
            "responses": {
                "200": {"description": "OK", "content": {"application/json": {"schema": body}}},
                "400": {"description": "A bad parameter", "content": error},
                "401": {"description": "A key that is not valid", "content": error},
                "404": {"description": "Not found, or not yours to see", "content": error},
            },
        }
    }


def description() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Samverkansportalen API",
            "version": "1.0",
            "description": "Read-only open data: OParl 1.1 for arenas, people, meetings, "
            "agendas, ärenden and documents, and the portal's own endpoints for decisions, "
            "agreements, recommendations with each organisation's own decision, follow-ups "
            "and assessments. Without a key: what the public sees. With "
            "'Authorization: Bearer <key>': what the key's owner sees.",
        },
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {"key": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{}, {"key": []}],
        "paths": {
            path: _operation(path, schema, is_list, summary)
            for path, (schema, is_list, summary) in ENDPOINTS.items()
        },
    }


@require_GET
def openapi_json(request: HttpRequest) -> JsonResponse:
    return JsonResponse(description(), json_dumps_params={"ensure_ascii": False})
