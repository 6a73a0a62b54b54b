"""The external identities moved to the identity app: councils forgets the model, the
table stays (the identity app's state holds it now)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('councils', '0031_agenda_item_personal_data'),
        ('identity', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[migrations.DeleteModel(name='ExternalIdentity')],
        ),
    ]
