"""The Celery app: the task queue's workers and scheduler (`celery -A config worker`, `... beat`).

Its settings are Django's with the CELERY_ prefix (config/settings.py); the tasks are found in
catalogue/tasks/ (DECISIONS.md, D17).
"""

import os
from pathlib import Path

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_configure.connect
def make_broker_folders(sender: Celery, **kwargs: object) -> None:
    """The filesystem transport needs its folders before the first message."""
    from django.conf import settings  # the app's conf is being built: read its source

    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", None) or {}
    for key in ("data_folder_in", "data_folder_out", "control_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)
