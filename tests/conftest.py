from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client

from councils.models import Membership, OrganisationRole
from tests.factories import (
    BodyFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    make_case,
    make_document,
)


def _isolate_the_file_broker() -> None:
    """Tests never share a file-system broker with a developer's running worker (which
    would take the tests' messages to the wrong database): unless the command chose
    one, tests use .data/broker-test, and worker processes they start inherit it."""
    if os.environ.get("SAMVERKAN_BROKER_DIR") or not str(
        django_settings.CELERY_BROKER_URL
    ).startswith("filesystem"):
        return
    folder = Path(django_settings.DATA_DIR) / "broker-test"
    options = {
        "data_folder_in": str(folder / "queue"),
        "data_folder_out": str(folder / "queue"),
        "processed_folder": str(folder / "processed"),
        "control_folder": str(folder / "control"),
        "store_processed": False,
    }
    for key in ("data_folder_in", "processed_folder", "control_folder"):
        Path(options[key]).mkdir(parents=True, exist_ok=True)
    django_settings.CELERY_BROKER_TRANSPORT_OPTIONS = options
    os.environ["SAMVERKAN_BROKER_DIR"] = str(folder)


_isolate_the_file_broker()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: Any, call: Any) -> Any:
    """Each phase's report on the test item, for fixtures that act on a failure."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(autouse=True)
def _fast_and_isolated(request: Any) -> Any:
    """Quick password hashing, uploaded files in a folder and a cache of the test's
    own, and tasks run in the test process (tests about the worker start a real one).
    The browser journeys set up the same for their whole module
    (tests/samverkan/test_journeys.py)."""
    if request.node.get_closest_marker("browser"):
        yield
        return
    from samverkan.celery import app

    settings = request.getfixturevalue("settings")
    tmp_path = request.getfixturevalue("tmp_path")
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # A cache of the test's own: no page or throttle count from another test.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": request.node.nodeid,
        }
    }
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media", "base_url": None},
        },
    }
    yield
    app.conf.task_always_eager = False


def client_for(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def world(db: Any) -> dict[str, Any]:
    """Two arenas, A and B, with a member, an ersättare and an observer in A, a member
    in B, a secretariat user and an outsider; a case in A with a public and a
    confidential document."""
    body_a = BodyFactory(name="Regionens samverkansråd", slug="samverkansradet")
    body_b = BodyFactory(name="Regionstyrelsen", slug="regionstyrelsen")
    users = {
        "member_a": UserFactory(username="member_a"),
        "substitute_a": UserFactory(username="substitute_a"),
        "observer_a": UserFactory(username="observer_a"),
        "member_b": UserFactory(username="member_b"),
        "secretariat": UserFactory(username="secretariat", secretariat=True),
        "outsider": UserFactory(username="outsider"),
    }
    for key, body, role in [
        ("member_a", body_a, Membership.Role.MEMBER),
        ("substitute_a", body_a, Membership.Role.SUBSTITUTE),
        ("observer_a", body_a, Membership.Role.OBSERVER),
        ("member_b", body_b, Membership.Role.MEMBER),
    ]:
        MembershipFactory(person=PersonFactory(user=users[key]), body=body, role=role)
    case = make_case(body=body_a, title="Intern titel om enskild", public_title="Samverkansfråga")
    public_doc = make_document(case=case, subject="Offentlig tjänsteskrivelse")
    secret_doc = make_document(
        case=case, subject="Hemlig bilaga med personuppgifter", confidential=True
    )
    return {
        "body_a": body_a,
        "body_b": body_b,
        "case": case,
        "public_doc": public_doc,
        "secret_doc": secret_doc,
        **users,
    }


AREAS = [
    "EU och övergripande regional utveckling",
    "Social välfärd och folkhälsa",
    "Samhällsbyggnad och klimat",
    "Arbetsmarknad och utbildning",
    "Kurs och konferens",
]


@pytest.fixture
def pact(world: dict[str, Any]) -> dict[str, Any]:
    """An agreement 2019–2021 between the region and eight kommuner with five areas,
    a kommun user in Krokom and one in Berg (each its kommun's bedömningsansvarig),
    and the world's users."""
    from tests.factories import make_agreement, make_kommuner

    region: Any = OrganisationFactory(
        name="Region Jämtland Härjedalen", slug="region", kind="region"
    )
    kommuner = make_kommuner()
    agreement = make_agreement(
        parties=[region, *kommuner.values()],
        areas=AREAS,
        responsible_body=world["body_b"],
    )
    krokom = UserFactory(username="krokom")
    berg = UserFactory(username="berg")
    for user, kommun in ((krokom, kommuner["Krokom"]), (berg, kommuner["Berg"])):
        OrganisationRole.objects.create(  # each kommun's bedömningsansvarig
            person=PersonFactory(user=user, organisation=kommun),
            organisation=kommun,
            kind=OrganisationRole.Kind.ASSESSOR,
        )
    return {
        **world,
        "agreement": agreement,
        "region": region,
        "kommuner": kommuner,
        "krokom": krokom,
        "berg": berg,
    }


def csv_text(response: Any) -> str:
    """A CSV download's text (streamed responses included), without the BOM."""
    assert response["Content-Type"].startswith("text/csv"), response["Content-Type"]
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return data.decode("utf-8-sig")


def connect_to(db: dict[str, Any], name: str) -> psycopg.Connection[Any]:
    return psycopg.connect(
        host=db["HOST"] or None,
        port=db["PORT"] or None,
        user=db["USER"] or None,
        password=db["PASSWORD"] or None,
        dbname=name,
        autocommit=True,
    )


@pytest.fixture
def empty_database() -> Any:
    """A new, empty database on the same server: the wiped installation."""
    db = connection.settings_dict
    name = f"restore_{uuid.uuid4().hex[:10]}"
    with connect_to(db, "postgres") as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield {**db, "NAME": name}
    with connect_to(db, "postgres") as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
