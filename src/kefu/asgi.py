"""ASGI entry point: HTTP through Django; WebSockets (the desk) through Channels."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kefu.settings")

from channels.auth import AuthMiddlewareStack
from channels.routing import ProtocolTypeRouter, URLRouter
from channels.security.websocket import AllowedHostsOriginValidator
from django.core.asgi import get_asgi_application

django_asgi = get_asgi_application()

from kefu.background import JobsLifespan  # noqa: E402
from kefu.desk.routing import websocket_urlpatterns  # noqa: E402  (needs the apps loaded)
from kefu.telephony.asgi import SwitchLifespan  # noqa: E402

# The embedded switch starts and stops with the server (kefu.telephony.asgi); so do the
# background jobs when KEFU_BACKGROUND_JOBS is on (kefu.background; `kefu serve`).
application = JobsLifespan(
    SwitchLifespan(
        ProtocolTypeRouter(
            {
                "http": django_asgi,
                "websocket": AllowedHostsOriginValidator(
                    AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
                ),
            }
        )
    )
)
