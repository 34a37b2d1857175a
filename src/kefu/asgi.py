"""ASGI entry point: HTTP through Django in a fixed pool of threads (:mod:`kefu.serving`);
WebSockets (the desk) through Channels in the event loop."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kefu.settings")

from channels.auth import AuthMiddlewareStack
from channels.routing import ProtocolTypeRouter, URLRouter
from channels.security.websocket import AllowedHostsOriginValidator
from django.conf import settings
from django.core.wsgi import get_wsgi_application

django_http = get_wsgi_application()  # sets Django up before the imports below

from kefu.background import JobsLifespan  # noqa: E402
from kefu.desk.routing import websocket_urlpatterns  # noqa: E402  (needs the apps loaded)
from kefu.serving import ThreadedDjango  # noqa: E402
from kefu.telephony.asgi import SwitchLifespan  # noqa: E402

# The embedded switch starts and stops with the server (kefu.telephony.asgi); so do the
# background jobs when KEFU_BACKGROUND_JOBS is on (kefu.background; `kefu serve`).
application = JobsLifespan(
    SwitchLifespan(
        ProtocolTypeRouter(
            {
                "http": ThreadedDjango(settings.KEFU_HTTP_THREADS, django_http),
                "websocket": AllowedHostsOriginValidator(
                    AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
                ),
            }
        )
    )
)
