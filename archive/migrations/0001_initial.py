"""The deliveries to the e-archive and their downloads, moved from councils with their
tables (``councils_archiveexport``, ``councils_archivedownload``, kept as they are: no
row is copied, the state alone moves), their content types and permissions renamed."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


MODELS = ("archiveexport", "archivedownload")


def content_types_moved(apps, schema_editor):  # type: ignore[no-untyped-def]
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="councils", model__in=MODELS).update(app_label="archive")


def content_types_back(apps, schema_editor):  # type: ignore[no-untyped-def]
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="archive", model__in=MODELS).update(app_label="councils")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('councils', '0032_delete_externalidentity'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
        migrations.CreateModel(
            name='ArchiveExport',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('vantar', 'Waiting'), ('klar', 'Ready'), ('misslyckad', 'Failed')], default='vantar', max_length=10, verbose_name='status')),
                ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='attempts')),
                ('error', models.TextField(blank=True, verbose_name='error')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('started_at', models.DateTimeField(blank=True, null=True, verbose_name='started')),
                ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='finished')),
                ('scope', models.CharField(choices=[('arende', 'One ärende'), ('diarium', "A diarium's ärenden closed in a year"), ('arena', "An arena's protocols of a year")], max_length=10, verbose_name='scope')),
                ('year', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='year')),
                ('progress', models.PositiveIntegerField(default=0, verbose_name='files written')),
                ('total', models.PositiveIntegerField(default=0, verbose_name='files in all')),
                ('file', models.FileField(blank=True, upload_to='archive/%Y/', verbose_name='file')),
                ('sha256', models.CharField(blank=True, max_length=64, verbose_name='SHA-256 checksum')),
                ('size', models.PositiveBigIntegerField(default=0, verbose_name='size in bytes')),
                ('records', models.PositiveIntegerField(default=0, verbose_name='records')),
                ('files', models.PositiveIntegerField(default=0, verbose_name='files')),
                ('not_archival', models.JSONField(blank=True, default=list, verbose_name='files not in an archival format')),
                ('body', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='archive_exports', to='councils.body')),
                ('case', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='archive_exports', to='councils.case')),
                ('diarium', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='archive_exports', to='councils.diarium')),
                ('requested_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'archive delivery',
                'verbose_name_plural': 'archive deliveries',
                'db_table': 'councils_archiveexport',
                'ordering': ['-created_at'],
            },
        ),
        migrations.CreateModel(
            name='ArchiveDownload',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(auto_now_add=True, verbose_name='downloaded at')),
                ('address', models.GenericIPAddressField(blank=True, null=True, verbose_name='IP address')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('export', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='downloads', to='archive.archiveexport')),
            ],
            options={
                'verbose_name': 'archive delivery download',
                'verbose_name_plural': 'archive delivery downloads',
                'db_table': 'councils_archivedownload',
                'ordering': ['-at'],
            },
        ),
        migrations.AddConstraint(
            model_name='archiveexport',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('case__isnull', False), ('scope', 'arende')), models.Q(('diarium__isnull', False), ('scope', 'diarium'), ('year__isnull', False)), models.Q(('body__isnull', False), ('scope', 'arena'), ('year__isnull', False)), _connector='OR'), name='archive_export_scope'),
        ),
            ],
        ),
        migrations.RunPython(content_types_moved, content_types_back),
    ]
