"""Agenda items' titles and proposed decisions are checked for personal data like every
public text; and every record is counted again with the detector that reads every dash,
space and invisible character a personnummer may be written with (issue 28)."""

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


def recount(apps, schema_editor):  # type: ignore[no-untyped-def]
    Organisation = apps.get_model("councils", "Organisation")
    Person = apps.get_model("councils", "Person")
    officials = personal_data.officials_from(
        Organisation.objects.values_list("official_email", "website"),
        list(Person.objects.filter(anonymised_at=None).values_list("email", "phone")),
    )

    def count(texts, numbers_only=()):  # type: ignore[no-untyped-def]
        found = sum(len(personal_data.find(text or "", officials)) for text in texts)
        return found + sum(len(personal_data.find(text or "")) for text in numbers_only)

    def store(model, pk, stored, found):  # type: ignore[no-untyped-def]
        if found != stored:
            model.objects.filter(pk=pk).update(personal_data=found)

    Case = apps.get_model("councils", "Case")
    for pk, stored, title, public_title, description in Case.objects.values_list(
        "pk", "personal_data", "title", "public_title", "description"
    ).iterator(chunk_size=2000):
        store(Case, pk, stored, count([public_title] if public_title else [title, description]))
    Paragraph = apps.get_model("councils", "Paragraph")
    for row in Paragraph.objects.filter(public=True).values_list(
        "pk", "personal_data", *PUBLISHED_PARAGRAPH_FIELDS
    ).iterator(chunk_size=2000):
        store(Paragraph, row[0], row[1], count(row[2:]))
    Document = apps.get_model("councils", "Document")
    for pk, stored, subject, counterpart, text in Document.objects.values_list(
        "pk", "personal_data", "subject", "counterpart", "text"
    ).iterator(chunk_size=500):
        store(Document, pk, stored, count([subject, counterpart], numbers_only=[text]))
    AgendaItem = apps.get_model("councils", "AgendaItem")
    for pk, stored, title, proposal in AgendaItem.objects.values_list(
        "pk", "personal_data", "title", "proposal"
    ).iterator(chunk_size=2000):
        store(AgendaItem, pk, stored, count([title, proposal]))


class Migration(migrations.Migration):

    dependencies = [
        ('councils', '0030_document_text_state'),
    ]

    operations = [
        migrations.AddField(
            model_name='agendaitem',
            name='personal_data',
            field=models.PositiveIntegerField(default=0, editable=False, help_text="Personnummer, samordningsnummer and private persons' e-mail addresses and phone numbers in the text the public reads.", verbose_name='personal data found (a count, never the data)'),
        ),
        migrations.AddField(
            model_name='agendaitem',
            name='personal_data_reason',
            field=models.TextField(blank=True, help_text="The secretariat's confirmation: without it the public does not see it.", verbose_name='why it may be published'),
        ),
        migrations.AddField(
            model_name='historicalagendaitem',
            name='personal_data',
            field=models.PositiveIntegerField(default=0, editable=False, help_text="Personnummer, samordningsnummer and private persons' e-mail addresses and phone numbers in the text the public reads.", verbose_name='personal data found (a count, never the data)'),
        ),
        migrations.AddField(
            model_name='historicalagendaitem',
            name='personal_data_reason',
            field=models.TextField(blank=True, help_text="The secretariat's confirmation: without it the public does not see it.", verbose_name='why it may be published'),
        ),
        migrations.RunPython(recount, migrations.RunPython.noop),
    ]
