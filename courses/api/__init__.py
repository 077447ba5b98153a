"""The courses part of the REST API, and what every app's API shares: authentication, errors,
pagination, throttling and the OpenAPI schema. The router is ``courses/api/urls.py``."""
