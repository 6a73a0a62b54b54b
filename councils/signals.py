"""What the councils app tells the apps above it, which it does not import: Django
signals, connected in the listening app's ``AppConfig.ready``. Each is sent inside the
write's transaction, so what a receiver writes commits or rolls back with it."""

from __future__ import annotations

from django.dispatch import Signal

#: § have just been justerade (with the protocol, or at once): ``paragraphs`` (a list of
#: ``Paragraph``), ``actor``.
paragraphs_justerade = Signal()
