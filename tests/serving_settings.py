"""Settings of a served process in the serving tests: Kefu's, plus the probe of
:mod:`tests.serving_probe` (first and last middleware, URLconf)."""

from kefu.settings import *  # noqa: F403
from kefu.settings import MIDDLEWARE

# First and last: Django's ASGI handler ran the last one (below the sync-only middleware) in the
# event loop, hopping to a thread again for the view.
MIDDLEWARE = ["tests.serving_probe.ChainProbe", *MIDDLEWARE, "tests.serving_probe.ChainProbe"]
ROOT_URLCONF = "tests.serving_probe"
