"""``event_deleting`` is sent inside delete_event's transaction just before the row goes, with ``event``
(its ``sequence`` already raised for the CANCEL) and ``actor``: apps that mailed the event (polls) send
an iTIP CANCEL to the people who have it in their calendars."""

from django.dispatch import Signal

event_deleting = Signal()
