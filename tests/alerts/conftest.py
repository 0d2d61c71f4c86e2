"""The alerts' tests send through a real SMTP server on loopback (aiosmtpd), as production does."""

import pytest

from tests.local_peers import SmtpSink


@pytest.fixture
def sink(settings):
    """Django's SMTP backend pointed at a sink of our own; the sink's `messages` are what arrived."""
    with SmtpSink() as smtp:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = smtp.port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_TIMEOUT = 5
        settings.SITE_URL = "http://econcat.test"
        settings.ALERTS_FROM_EMAIL = "alerts@econcat.test"
        yield smtp
