"""WSGI entry point, used by ``lantern serve`` (gunicorn)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantern.settings")

application = get_wsgi_application()

# Each web worker starts the chart renderer as it boots, not on its first chart request.
from lantern.evaluation import charts  # noqa: E402  (needs the settings configured above)

charts.warm_up_in_background()
