"""The content types of the models that moved keep their ids under their new app labels, so that what points at
them (a job's target, admin log entries, permissions) still points at the same model."""

from django.db import migrations

MOVED = {
    "annotation": {
        "project": "projects", "membership": "projects", "auditentry": "projects", "video": "videos",
        "candidatequestion": "counting", "question": "counting", "clue": "counting", "event": "avst",
        "avobject": "avst", "boxproposal": "avst", "qapair": "avst", "reviewitem": "review", "comment": "review",
    },
    "pipeline": {"job": "jobs", "llmcall": "jobs"},
    "benchmark": {"release": "releases", "releasefile": "releases", "submission": "releases"},
}


def relabel(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for old, models in MOVED.items():
        for model, new in models.items():
            if not ContentType.objects.filter(app_label=new, model=model).exists():
                ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def unlabel(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for old, models in MOVED.items():
        for model, new in models.items():
            if not ContentType.objects.filter(app_label=old, model=model).exists():
                ContentType.objects.filter(app_label=new, model=model).update(app_label=old)


class Migration(migrations.Migration):

    dependencies = [
        ("annotation", "0011_hand_over_models"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(relabel, unlabel)]
