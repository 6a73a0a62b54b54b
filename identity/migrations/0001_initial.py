"""The external identities, moved from councils with their table (``councils_externalidentity``,
kept as it is: no row is copied, the state alone moves), and their content type and
permissions renamed to this app."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def content_type_moved(apps, schema_editor):  # type: ignore[no-untyped-def]
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="councils", model="externalidentity").update(
        app_label="identity"
    )


def content_type_back(apps, schema_editor):  # type: ignore[no-untyped-def]
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="identity", model="externalidentity").update(
        app_label="councils"
    )


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("councils", "0031_agenda_item_personal_data"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
        migrations.CreateModel(
            name='ExternalIdentity',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('provider', models.CharField(max_length=60, verbose_name='identity provider')),
                ('subject', models.CharField(max_length=255, verbose_name='subject at the provider')),
                ('linked_at', models.DateTimeField(auto_now_add=True, verbose_name='linked')),
                ('linked_by', models.CharField(max_length=20, verbose_name='linked by')),
                ('last_login_at', models.DateTimeField(blank=True, null=True, verbose_name='last sign-in')),
                ('last_assurance', models.CharField(blank=True, max_length=200, verbose_name='last assurance level')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='external_identities', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'external identity',
                'verbose_name_plural': 'external identities',
                'db_table': 'councils_externalidentity',
                'ordering': ['provider'],
                'constraints': [models.UniqueConstraint(fields=('provider', 'subject'), name='external_identity_unique'), models.UniqueConstraint(fields=('provider', 'user'), name='external_identity_one_per_provider')],
            },
        ),
            ],
        ),
        migrations.RunPython(content_type_moved, content_type_back),
    ]
