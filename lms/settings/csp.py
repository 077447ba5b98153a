"""The demo's Content-Security-Policy in the form the running Django reads: Django's own
middleware and ``SECURE_CSP`` from 6.0, the django-csp library on Django 5.2 LTS (the same
policy, as its ``CONTENT_SECURITY_POLICY``)."""

import django

if django.VERSION >= (6, 0):
    from django.utils.csp import CSP

    SELF, NONE, NONCE = CSP.SELF, CSP.NONE, CSP.NONCE
else:  # Django 5.2: django-csp
    from csp.constants import NONCE, NONE, SELF

# Content-Security-Policy of every page but the Wagtail admin's: our own code only, inline code
# only with the response's nonce (our templates have none; {% nonce_attr %} gives it), no plugins,
# no framing by other sites. Course videos play from YouTube and Vimeo; images may be data: URLs
# (the API documentation's icons). The Wagtail admin gets this policy with 'unsafe-inline'
# scripts and styles (courses.middleware, LMS["ADMIN_CSP"]). A host serving media from another
# origin (S3, a CDN) adds it to "img-src" (and "media-src"); see the README.
POLICY = {
    "default-src": [SELF],
    "script-src": [SELF, NONCE],
    "style-src": [SELF, NONCE],
    "img-src": [SELF, "data:"],
    "frame-src": [
        SELF,
        "https://www.youtube.com",
        "https://www.youtube-nocookie.com",
        "https://player.vimeo.com",
    ],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    "frame-ancestors": [SELF],
}


def configure(settings: dict) -> None:
    """Set the policy, and put the CSP middleware (and its nonce for templates) in place."""
    if django.VERSION >= (6, 0):
        settings["SECURE_CSP"] = POLICY
        middleware = "django.middleware.csp.ContentSecurityPolicyMiddleware"
        processor = "django.template.context_processors.csp"
    else:
        settings["CONTENT_SECURITY_POLICY"] = {"DIRECTIVES": POLICY}
        middleware = "csp.middleware.CSPMiddleware"
        processor = "csp.context_processors.nonce"
    stack = settings["MIDDLEWARE"]
    stack.insert(stack.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1, middleware)
    settings["TEMPLATES"][0]["OPTIONS"]["context_processors"].append(processor)
