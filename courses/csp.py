"""Content-Security-Policy: the nonce for our templates, and the Wagtail admin's own policy.

The LMS runs under Django's own CSP support (Django 6: ``ContentSecurityPolicyMiddleware``,
``SECURE_CSP``) or, on Django 5.2 LTS, under the django-csp library
(``csp.middleware.CSPMiddleware``, ``CONTENT_SECURITY_POLICY``). Both add a fresh nonce to each
response's policy when a page uses it; they differ in how a template reads it. ``request_nonce``
reads whichever is installed, through their public APIs, so our templates write one thing under
either::

    {% load lms_tags %}
    <script {% nonce_attr %}>…</script>

Our own pages need no nonce today (no inline script or style at all); it is there for a host's or
a later page's inline code. A page that uses it must not be cached for everyone (a cached nonce is
no longer a nonce), which the LMS's private pages never are (``courses.middleware``).

The Wagtail admin cannot run under a nonce-based policy: its page editor and panels write inline
scripts and styles without a nonce. ``admin_policy`` derives its policy from the site's: the same
sources, with ``'unsafe-inline'`` instead of the nonce for scripts and styles (a nonce would switch
``'unsafe-inline'`` off), and ``blob:`` images (the image uploader's previews) and ``data:`` ones.
"""

from collections.abc import Iterable, Mapping

from courses.compat import CSP_NONCE_PLACEHOLDERS

try:  # Django 6.0+: the template context processor of its CSP middleware
    from django.template.context_processors import csp as django_csp_context
except ImportError:  # Django 5.2: django-csp, if installed, sets request.csp_nonce
    django_csp_context = None

SELF = "'self'"
UNSAFE_INLINE = "'unsafe-inline'"


def is_nonce_placeholder(source) -> bool:
    """Whether ``source`` stands for the response's nonce in a policy (Django's ``CSP.NONCE``, a
    string, or django-csp's ``NONCE``, an object), rather than being a source itself."""
    return any(
        source is placeholder or source == placeholder for placeholder in CSP_NONCE_PLACEHOLDERS
    )


Policy = Mapping[str, Iterable[str] | str | bool | None]


def request_nonce(request) -> str | None:
    """This response's CSP nonce, or None when no CSP middleware gives one.

    Reading it makes the middleware add ``'nonce-…'`` to the policy of this response.
    """
    if request is None:
        return None
    if django_csp_context is not None:
        nonce = django_csp_context(request).get("csp_nonce")
        if nonce is not None:
            return str(nonce)
    nonce = getattr(request, "csp_nonce", None)  # django-csp
    return str(nonce) if nonce is not None else None


def _sources(values: Iterable[str] | str) -> list[str]:
    if isinstance(values, str):
        return [values]
    if isinstance(values, set | frozenset):
        return sorted(values, key=str)  # as Django writes them: a stable header
    return list(values)


def render_policy(policy: Policy) -> str:
    """The header value for ``policy`` ({directive: sources}); a directive whose value is True
    is written alone, one that is None, False or empty is left out, and so is the nonce
    placeholder (the policies rendered here carry no nonce)."""
    parts = []
    for directive, values in policy.items():
        if values is True:
            parts.append(directive)
            continue
        if values is None or values is False:
            continue
        sources = [source for source in _sources(values) if not is_nonce_placeholder(source)]
        if sources:
            parts.append(f"{directive} {' '.join(sources)}")
    return "; ".join(parts)


def admin_policy(site_policy: Policy) -> dict[str, Iterable[str] | str | bool | None]:
    """The Wagtail admin's policy, derived from the site's (see the module docstring)."""
    if not site_policy:
        return {}
    policy = dict(site_policy)
    fallback = _sources(site_policy.get("default-src") or [SELF])
    for directive in ("script-src", "style-src"):
        sources = _sources(site_policy.get(directive) or fallback)
        policy[directive] = [
            *(
                source
                for source in sources
                if source != UNSAFE_INLINE and not is_nonce_placeholder(source)
            ),
            UNSAFE_INLINE,
        ]
    images = _sources(site_policy.get("img-src") or fallback)
    policy["img-src"] = [
        *images,
        *(source for source in ("data:", "blob:") if source not in images),
    ]
    return policy
