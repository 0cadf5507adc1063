from django.db import models


class WorkerHeartbeat(models.Model):
    """Last sign of life of each lane of a background worker, and the task it runs; read by /healthz."""

    worker_id = models.CharField(max_length=100, unique=True)
    hostname = models.CharField(max_length=200)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    last_seen = models.DateTimeField(db_index=True)
    current_task = models.CharField(max_length=200, blank=True)
    task_started_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "Worker-Lebenszeichen"
        verbose_name_plural = "Worker-Lebenszeichen"

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.last_seen:%H:%M:%S})"
