"""Hooks for other apps.

``slot_confirmed`` is sent inside the confirmation's transaction, after the calendar event was
created, with ``poll``, ``slot``, ``event`` (the new calendar_events.Event) and ``actor``. The meetings
app connects a receiver that, for ``poll.purpose == "meeting"``, creates a meeting for the slot and
links it to ``event``; an exception in a receiver rolls the whole confirmation back.

    from polls.signals import slot_confirmed

    @receiver(slot_confirmed)
    def create_meeting(sender, poll, slot, event, actor, **kwargs):
        if poll.purpose == "meeting":
            ...
"""

from django.dispatch import Signal

slot_confirmed = Signal()
