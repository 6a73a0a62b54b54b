"""The personal-data check beyond documents' identity numbers: ärenden and § too, and
private persons' e-mail addresses and phone numbers. The document's count is renamed
(it counts contact details in the subject and sender now) and every record counted."""

from django.db import migrations, models

from base import personal_data

PUBLISHED_PARAGRAPH_FIELDS = (
    "title",
    "summary",
    "basis",
    "motions",
    "voting_order",
    "decision",
    "reservations",
    "protocol_notes",
)


def count_existing(apps, schema_editor):  # type: ignore[no-untyped-def]
    Organisation = apps.get_model("councils", "Organisation")
    Person = apps.get_model("councils", "Person")
    officials = personal_data.officials_from(
        Organisation.objects.values_list("official_email", "website"),
        list(Person.objects.filter(anonymised_at=None).values_list("email", "phone")),
    )

    def count(texts, numbers_only=()):  # type: ignore[no-untyped-def]
        found = sum(len(personal_data.find(text, officials)) for text in texts)
        return found + sum(len(personal_data.find(text)) for text in numbers_only)

    Case = apps.get_model("councils", "Case")
    for pk, title, public_title, description in Case.objects.values_list(
        "pk", "title", "public_title", "description"
    ).iterator(chunk_size=2000):
        found = count([public_title] if public_title else [title, description])
        if found:
            Case.objects.filter(pk=pk).update(personal_data=found)
    Paragraph = apps.get_model("councils", "Paragraph")
    for row in Paragraph.objects.filter(public=True).values_list(
        "pk", *PUBLISHED_PARAGRAPH_FIELDS
    ).iterator(chunk_size=2000):
        found = count(row[1:])
        if found:
            Paragraph.objects.filter(pk=row[0]).update(personal_data=found)
    # Documents: their identity numbers are counted (0024); contact details in the
    # subject and sender are added where an address or a number could be.
    Document = apps.get_model("councils", "Document")
    maybe = models.Q(subject__regex=r"@|(\+46|0)[0-9 -]{6}") | models.Q(
        counterpart__regex=r"@|(\+46|0)[0-9 -]{6}"
    )
    for pk, subject, counterpart, text in (
        Document.objects.filter(maybe)
        .values_list("pk", "subject", "counterpart", "text")
        .iterator(chunk_size=500)
    ):
        Document.objects.filter(pk=pk).update(
            personal_data=count([subject, counterpart], numbers_only=[text])
        )


def field_count():  # type: ignore[no-untyped-def]
    return models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text=(
            "Personnummer, samordningsnummer and private persons' e-mail addresses and phone "
            "numbers in the text the public reads."
        ),
        verbose_name="personal data found (a count, never the data)",
    )


def field_reason():  # type: ignore[no-untyped-def]
    return models.TextField(
        blank=True,
        help_text="The secretariat's confirmation: without it the public does not see it.",
        verbose_name="why it may be published",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("councils", "0024_document_personal_numbers"),
    ]

    operations = [
        *[
            op
            for model in ("document", "historicaldocument")
            for op in (
                migrations.RenameField(model, "personal_numbers", "personal_data"),
                migrations.RenameField(model, "personal_numbers_reason", "personal_data_reason"),
                migrations.AlterField(model, "personal_data", field_count()),
                migrations.AlterField(model, "personal_data_reason", field_reason()),
            )
        ],
        *[
            op
            for model in ("case", "historicalcase", "paragraph", "historicalparagraph")
            for op in (
                migrations.AddField(model, "personal_data", field_count()),
                migrations.AddField(model, "personal_data_reason", field_reason()),
            )
        ],
        migrations.RunPython(count_existing, migrations.RunPython.noop),
    ]
