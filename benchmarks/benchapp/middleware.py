"""Bench-only: each response says how much CPU its request took in the worker.

``X-Bench-CPU-us`` is the thread's CPU time (``time.thread_time``, microseconds) from the first
middleware to the response: the app's own CPU for that one request, whatever else the process
does meanwhile (gunicorn's threaded workers serve several requests at once, so the process's
CPU cannot be split by request). The database backend's CPU is not in it. First in
``MIDDLEWARE`` of ``lms.settings.bench`` only.
"""

import time

HEADER = "X-Bench-CPU-us"


class RequestCPUMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.thread_time()
        response = self.get_response(request)
        response[HEADER] = str(round((time.thread_time() - started) * 1_000_000))
        return response
