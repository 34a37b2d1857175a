"""WebSocket routes of the desk (mounted by kefu.asgi)."""

from django.urls import re_path

from kefu.desk.consumers import SeatConsumer, WallboardConsumer

websocket_urlpatterns = [
    re_path(r"^ws/desk/seat/(?P<seat>[A-Za-z0-9_.\-]{1,20})/$", SeatConsumer.as_asgi()),
    re_path(r"^ws/desk/wallboard/$", WallboardConsumer.as_asgi()),
]
