"""Settings for the real Celery worker that test_tasks_matching_worker.py starts as a subprocess.

The test settings, with e-mail written to files in MATCHING_TEST_EMAIL_DIR: the worker is another process,
so the test cannot read its in-memory outbox. Not a test module (no ``test_`` prefix): pytest skips it.
"""

import os

from ivplatform.settings.test import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ["MATCHING_TEST_EMAIL_DIR"]
