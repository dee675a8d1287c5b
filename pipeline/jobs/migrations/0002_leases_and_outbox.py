"""Leases and the outbox of jobs.

Jobs running or waiting to retry when this is applied have no lease, which counts as lapsed: the workers that held
them are from before the upgrade, so the sweeper queues them again. Queued jobs have no sent_at, so the sweeper
sends them again too; a duplicate message is dropped by the worker that receives it."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('jobs', '0001_initial'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='job',
            name='job_state_valid',
        ),
        migrations.RemoveConstraint(
            model_name='job',
            name='job_finished_dated',
        ),
        migrations.AddField(
            model_name='job',
            name='lease_expires_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='job',
            name='sent_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='job',
            name='via_broker',
            field=models.BooleanField(default=True),
        ),
        migrations.AddField(
            model_name='job',
            name='worker',
            field=models.CharField(blank=True, max_length=255),
        ),
        migrations.AlterField(
            model_name='job',
            name='state',
            field=models.CharField(choices=[('queued', 'Queued'), ('running', 'Running'), ('retrying', 'Waiting to retry'), ('succeeded', 'Succeeded'), ('failed', 'Failed'), ('cancelled', 'Cancelled')], default='queued', max_length=16),
        ),
        migrations.AddConstraint(
            model_name='job',
            constraint=models.CheckConstraint(condition=models.Q(('state__in', ['queued', 'running', 'retrying', 'succeeded', 'failed', 'cancelled'])), name='job_state_valid'),
        ),
        migrations.AddConstraint(
            model_name='job',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('state__in', ('succeeded', 'failed', 'cancelled')), _negated=True), ('finished_at__isnull', False), _connector='OR'), name='job_finished_dated'),
        ),
    ]
