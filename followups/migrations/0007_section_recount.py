"""The verksamhetsberättelse's sections counted again with the detector that reads every
dash, space and invisible character a personnummer may be written with (issue 28)."""

from django.db import migrations

from base import personal_data


def recount(apps, schema_editor):  # type: ignore[no-untyped-def]
    Organisation = apps.get_model("councils", "Organisation")
    Person = apps.get_model("councils", "Person")
    officials = personal_data.officials_from(
        Organisation.objects.values_list("official_email", "website"),
        list(Person.objects.filter(anonymised_at=None).values_list("email", "phone")),
    )
    Section = apps.get_model("followups", "Section")
    for pk, stored, heading, body in Section.objects.values_list(
        "pk", "personal_data", "heading", "body"
    ):
        found = len(personal_data.find(heading, officials)) + len(
            personal_data.find(body, officials)
        )
        if found != stored:
            Section.objects.filter(pk=pk).update(personal_data=found)


class Migration(migrations.Migration):
    dependencies = [
        ("followups", "0006_assignment_responsible"),
        ("councils", "0031_agenda_item_personal_data"),
    ]

    operations = [migrations.RunPython(recount, migrations.RunPython.noop)]
