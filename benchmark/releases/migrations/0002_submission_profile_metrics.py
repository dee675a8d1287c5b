from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("releases", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="submission",
            name="profile_metrics",
            field=models.JSONField(blank=True, null=True),
        ),
    ]
