"""Signals the core sends so that pillars can follow its writes without the core importing them.

``content_changed`` is sent (``sender=<model>, instance=<row>``) inside the write's transaction
when the core changed a row of any app in a way no ``post_save`` reports (``QuerySet.update``),
for example the privacy service re-pointing posts to the placeholder account. The search app
connects a receiver that enqueues the row for re-indexing when its model is searchable; like every
signal handler of this project, receivers only enqueue.
"""

from __future__ import annotations

from django.dispatch import Signal

content_changed = Signal()
