"""Which version a verksamhetsberättelse's PDF job renders, owned by the follow-up: one
row for each job that named its version on the councils side (copied here before
councils drops the column, migration councils 0034)."""

import django.db.models.deletion
from django.db import migrations, models


def copy_links(apps, schema_editor):  # type: ignore[no-untyped-def]
    RenderJob = apps.get_model("councils", "RenderJob")
    ReportRendering = apps.get_model("followups", "ReportRendering")
    ReportRendering.objects.bulk_create(
        ReportRendering(job_id=job_id, version_id=version_id)
        for job_id, version_id in RenderJob.objects.filter(
            report_version__isnull=False
        ).values_list("pk", "report_version_id")
    )


def copy_links_back(apps, schema_editor):  # type: ignore[no-untyped-def]
    RenderJob = apps.get_model("councils", "RenderJob")
    ReportRendering = apps.get_model("followups", "ReportRendering")
    for job_id, version_id in ReportRendering.objects.values_list("job_id", "version_id"):
        RenderJob.objects.filter(pk=job_id).update(report_version_id=version_id)


class Migration(migrations.Migration):

    dependencies = [
        ('councils', '0033_archive_exports_moved'),
        ('followups', '0007_section_recount'),
    ]

    operations = [
        migrations.CreateModel(
            name='ReportRendering',
            fields=[
                ('job', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='report_rendering', serialize=False, to='councils.renderjob', verbose_name='PDF job')),
                ('version', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='renderings', to='followups.reportversion', verbose_name='version')),
            ],
            options={
                'verbose_name': 'PDF of a verksamhetsberättelse',
                'verbose_name_plural': 'PDFs of verksamhetsberättelser',
            },
        ),
        migrations.RunPython(copy_links, copy_links_back),
    ]
