"""The verksamhetsberättelse's sections are checked for personal data before a version
is compiled: each section's count, made once for the existing ones."""

from django.db import migrations, models

from base import personal_data


def count_existing(apps, schema_editor):  # type: ignore[no-untyped-def]
    Organisation = apps.get_model("councils", "Organisation")
    Person = apps.get_model("councils", "Person")
    officials = personal_data.officials_from(
        Organisation.objects.values_list("official_email", "website"),
        list(Person.objects.filter(anonymised_at=None).values_list("email", "phone")),
    )
    Section = apps.get_model("followups", "Section")
    for pk, heading, body in Section.objects.values_list("pk", "heading", "body"):
        found = len(personal_data.find(heading, officials)) + len(
            personal_data.find(body, officials)
        )
        if found:
            Section.objects.filter(pk=pk).update(personal_data=found)


class Migration(migrations.Migration):
    dependencies = [
        ("followups", "0004_adopted_in"),
        ("councils", "0025_personal_data"),
    ]

    operations = [
        *[
            op
            for model in ("section", "historicalsection")
            for op in (
                migrations.AddField(
                    model,
                    "personal_data",
                    models.PositiveIntegerField(
                        default=0,
                        editable=False,
                        help_text=(
                            "Personnummer, samordningsnummer and private persons' e-mail "
                            "addresses and phone numbers in the text the public reads."
                        ),
                        verbose_name="personal data found (a count, never the data)",
                    ),
                ),
                migrations.AddField(
                    model,
                    "personal_data_reason",
                    models.TextField(
                        blank=True,
                        help_text=(
                            "The secretariat's confirmation: without it the public does not "
                            "see it."
                        ),
                        verbose_name="why it may be published",
                    ),
                ),
            )
        ],
        migrations.RunPython(count_existing, migrations.RunPython.noop),
    ]
