"""ASGI entry point: HTTP through Django; WebSockets (the desk) through Channels."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kefu.settings")

from channels.auth import AuthMiddlewareStack
from channels.routing import ProtocolTypeRouter, URLRouter
from channels.security.websocket import AllowedHostsOriginValidator
from django.core.asgi import get_asgi_application

django_asgi = get_asgi_application()

from kefu.desk.routing import websocket_urlpatterns  # noqa: E402  (needs the apps loaded)
from kefu.telephony.asgi import SwitchLifespan  # noqa: E402

# The embedded switch starts and stops with the server (kefu.telephony.asgi).
application = SwitchLifespan(
    ProtocolTypeRouter(
        {
            "http": django_asgi,
            "websocket": AllowedHostsOriginValidator(
                AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
            ),
        }
    )
)
