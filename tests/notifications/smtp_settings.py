"""Settings for child workers that e-mail a test's own SMTP server (on port TEST_SMTP_PORT)."""

import os

from tongchuan_portal.settings.test import *  # noqa: F401,F403

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = int(os.environ["TEST_SMTP_PORT"])
EMAIL_TIMEOUT = 10
