from __future__ import annotations

import pytest

from tests.notifications.smtp_sink import SmtpSink


@pytest.fixture
def smtp_sink(settings):
    """A running SMTP sink that the outbox sender delivers to; stopped after the test."""
    sink = SmtpSink()
    sink.configure(settings)
    sink.start()
    yield sink
    sink.stop()
