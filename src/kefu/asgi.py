"""ASGI entry point: HTTP through Django; WebSocket routes join as the desk arrives."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kefu.settings")

from channels.routing import ProtocolTypeRouter
from django.core.asgi import get_asgi_application

from kefu.telephony.asgi import SwitchLifespan

django_asgi = get_asgi_application()

# The embedded switch starts and stops with the server (kefu.telephony.asgi).
application = SwitchLifespan(ProtocolTypeRouter({"http": django_asgi}))
