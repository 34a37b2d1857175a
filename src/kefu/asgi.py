"""ASGI entry point: HTTP through Django; WebSocket routes join as the desk arrives."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kefu.settings")

from channels.routing import ProtocolTypeRouter
from django.core.asgi import get_asgi_application

django_asgi = get_asgi_application()

application = ProtocolTypeRouter({"http": django_asgi})
