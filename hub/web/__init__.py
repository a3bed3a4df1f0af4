"""The web console: pages for admins (merge review), auditors (ledger), finance (receivables) and
ops / sales managers (lead funnel, flows), with a JSON API of the same data.

Server-rendered (FastAPI + Jinja2, SVG charts drawn on the server, no JavaScript), local users in a
TOML file (``hub.web.users``), signed session cookies and CSRF tokens (``hub.web.security``). Every
change made from the console reaches the ledger with ``user:NAME`` as actor and ``web:REQUEST-ID``
as correlation id.

::

    from hub.web import create_web_app
    app.mount("/console", create_web_app(engine))        # pages at /console/..., API at /console/api/...
"""

from hub.web.app import MOUNT, create_console_server, create_web_app
from hub.web.settings import WebSettings
from hub.web.users import ROLES, User, UserStore, hash_password, verify_password

__all__ = [
    "MOUNT",
    "ROLES",
    "User",
    "UserStore",
    "WebSettings",
    "create_console_server",
    "create_web_app",
    "hash_password",
    "verify_password",
]
