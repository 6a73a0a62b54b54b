"""A render job no longer names a followups model: which version a verksamhetsberättelse's
PDF renders is the follow-up's own link (followups 0008 copied it first)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('councils', '0033_archive_exports_moved'),
        ('followups', '0008_reportrendering'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='renderjob',
            name='render_job_has_subject',
        ),
        migrations.RemoveField(
            model_name='renderjob',
            name='report_version',
        ),
        migrations.AddConstraint(
            model_name='renderjob',
            constraint=models.CheckConstraint(condition=models.Q(('kind', 'verksamhetsberattelse'), ('meeting__isnull', False), _connector='OR'), name='render_job_meeting_kinds_have_meeting'),
        ),
    ]
