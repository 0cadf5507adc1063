"""What OParl has handed out: the record that turns a later withdrawal into a deleted stub instead of a 404."""

from __future__ import annotations

from django.db import models


class ServedObject(models.Model):
    """An object OParl served in full at least once (in a list, on its own or embedded).

    OParl 1.1 forbids hard deletion: a client that holds a copy must learn that the object is gone, so an
    object that leaves the public set (deleted, withdrawn, made non-public) stays at its URL as
    ``deleted: true``. Objects that were never handed out stay absent (404, in no list), so stubs reveal
    nothing that no client ever saw — not even how many hidden people or items there are.
    """

    kind = models.CharField(max_length=20)
    object_id = models.PositiveBigIntegerField()
    first_served = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="oparl_served_once_per_object")]

    def __str__(self) -> str:
        return f"{self.kind}/{self.object_id}"
