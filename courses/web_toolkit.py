"""The site-side helpers that ``courses`` offers the other apps' views (part of its declared
public surface, see ``courses/__init__.py``). Import these names from here, not from the modules
that define them: those are ``courses``' own and may change.

``login_required`` sends a visitor to the LMS's sign-in page (``LMS["LOGIN_URL"]``);
``throttled(scope)`` limits a view to the rate of a DRF throttle scope, with a translated page;
``safe_next_url`` follows a ``next`` parameter only to this site;
``request_client_address`` is the visitor's address behind the trusted proxies
(``LMS["TRUSTED_PROXIES"]``).
"""

from courses.client_address import request_client_address
from courses.redirects import safe_next_url
from courses.throttling import throttled
from courses.views.access import login_required

__all__ = ["login_required", "request_client_address", "safe_next_url", "throttled"]
