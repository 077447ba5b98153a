"""The certificates part of the REST API: my certificates, public verification, HR's register
with its exports and bulk ZIP jobs. The router is ``courses/api/urls.py``."""
