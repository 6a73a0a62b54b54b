"""factory_boy factories. Cases and documents are made through the services, so
they get their numbers the way the portal hands them out."""

from __future__ import annotations

import datetime
from typing import Any

import factory
from django.contrib.auth.models import Group, Permission

from base.accounts import User
from base.roles import SECRETARIAT_GROUP
from councils import services
from councils.models import (
    Body,
    Case,
    Diarium,
    Document,
    Membership,
    Organisation,
    Person,
    Protocol,
    SeatAllocation,
)

PASSWORD = "test-password-123"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Användare {n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def secretariat(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            group, _ = Group.objects.get_or_create(name=SECRETARIAT_GROUP)
            group.permissions.add(Permission.objects.get(codename="manage_records"))
            self.groups.add(group)
        if create:
            self.save()


class OrganisationFactory(factory.django.DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Kommun {n}")
    slug = factory.Sequence(lambda n: f"kommun-{n}")
    kind = Organisation.Kind.KOMMUN


class BodyFactory(factory.django.DjangoModelFactory[Body]):
    class Meta:
        model = Body

    name = factory.Sequence(lambda n: f"Råd {n}")
    slug = factory.Sequence(lambda n: f"rad-{n}")
    kind = Body.Kind.COUNCIL
    organisation = factory.SubFactory(OrganisationFactory, kind=Organisation.Kind.REGION)


class SeatAllocationFactory(factory.django.DjangoModelFactory[SeatAllocation]):
    class Meta:
        model = SeatAllocation

    body = factory.SubFactory(BodyFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    seats = 1


class PersonFactory(factory.django.DjangoModelFactory[Person]):
    class Meta:
        model = Person

    first_name = "Person"
    last_name = factory.Sequence(lambda n: f"Nummer {n}")
    email = factory.LazyAttribute(lambda p: f"p{p.last_name.split()[-1]}@example.org")


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    body = factory.SubFactory(BodyFactory)
    role = Membership.Role.MEMBER
    start = datetime.date(2020, 1, 1)


class DiariumFactory(factory.django.DjangoModelFactory[Diarium]):
    class Meta:
        model = Diarium
        django_get_or_create = ("prefix",)

    prefix = "RUN"
    name = factory.LazyAttribute(lambda d: f"Diarium {d.prefix}")


def make_case(
    *, body: Body | None = None, diarium: Diarium | None = None, actor: Any = None, **fields: Any
) -> Case:
    fields.setdefault("title", "Uppföljning av samverkan")
    fields.setdefault("registered_on", datetime.date(2021, 6, 2))
    return services.case_register(
        actor=actor,
        diarium=diarium or DiariumFactory(),
        body=body or BodyFactory(),
        **fields,
    )


def make_document(*, case: Case, actor: Any = None, read: bool = True, **fields: Any) -> Document:
    """A handling registered as the secretariat does, its file's text read as the worker
    then does (``read=False``: not yet)."""
    fields.setdefault("kind", Document.Kind.MEMO)
    fields.setdefault("subject", "Tjänsteskrivelse")
    fields.setdefault("direction", Document.Direction.DRAWN_UP)
    fields.setdefault("document_date", datetime.date(2021, 6, 2))
    if fields.get("confidential"):
        fields.setdefault("secrecy_provision", "OSL 21 kap. 7 §")
        fields.setdefault("secrecy_date", datetime.date(2021, 6, 2))
        fields.setdefault("secrecy_authority", "Regionstyrelsen")
    document = services.document_register(actor=actor, case=case, **fields)
    if document.file and read:  # what the worker does after the upload
        services.document_text_extract(document_id=document.pk)
        document.refresh_from_db()
    return document


KOMMUN_NAMES = [
    ("Bergs kommun", "Berg"),
    ("Bräcke kommun", "Bräcke"),
    ("Härjedalens kommun", "Härjedalen"),
    ("Krokoms kommun", "Krokom"),
    ("Ragunda kommun", "Ragunda"),
    ("Strömsunds kommun", "Strömsund"),
    ("Åre kommun", "Åre"),
    ("Östersunds kommun", "Östersund"),
]


def make_kommuner() -> dict[str, Organisation]:
    return {
        short: OrganisationFactory(name=name, short_name=short, slug=f"k-{index}")
        for index, (name, short) in enumerate(KOMMUN_NAMES)
    }


def make_agreement(
    *,
    parties: list[Organisation],
    areas: list[str] = (),  # type: ignore[assignment]
    actor: Any = None,
    **fields: Any,
) -> Any:
    """An agreement made through the service, with its areas in order."""
    from agreements import services as agreement_services
    from agreements.models import Area

    fields.setdefault("kind", "kommunal")
    fields.setdefault("title", "Överenskommelse om regional samverkan")
    fields.setdefault("valid_from", datetime.date(2019, 1, 1))
    fields.setdefault("valid_until", datetime.date(2021, 12, 31))
    fields.setdefault("adopted_on", datetime.date(2018, 6, 20))
    if "responsible_body" not in fields:
        fields["responsible_body"] = BodyFactory()
    fields.setdefault("adopted_by", fields["responsible_body"])
    if "case" not in fields:
        fields["case"] = make_case(body=fields["responsible_body"], title=fields["title"])
    agreement = agreement_services.agreement_save(actor=actor, parties=parties, **fields)
    for position, name in enumerate(areas, start=1):
        agreement_services.record_save(
            actor=actor, instance=Area(agreement=agreement, position=position, name=name)
        )
    return agreement


def read_copy(protocol: Protocol) -> str:
    """Render the copy to justera a protocol was sent with (as the worker would) and
    return its checksum: what a signatory who read it approves."""
    protocol.refresh_from_db()
    assert protocol.reading_copy_id is not None, "the protocol was not sent for justering"
    return services.render_job_run(job_id=protocol.reading_copy_id).sha256
