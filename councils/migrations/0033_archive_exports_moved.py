"""The deliveries to the e-archive moved to the archive app: councils forgets the models,
the tables stay (the archive app's state holds them now)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('councils', '0032_delete_externalidentity'),
        ('archive', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
        migrations.RemoveField(
            model_name='archiveexport',
            name='body',
        ),
        migrations.RemoveField(
            model_name='archiveexport',
            name='case',
        ),
        migrations.RemoveField(
            model_name='archiveexport',
            name='diarium',
        ),
        migrations.RemoveField(
            model_name='archiveexport',
            name='requested_by',
        ),
        migrations.DeleteModel(
            name='ArchiveDownload',
        ),
        migrations.DeleteModel(
            name='ArchiveExport',
        ),
            ],
        ),
    ]
