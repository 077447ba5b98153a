"""Courses: the course page tree, cohorts, enrolments and progress, and the toolkit the other
apps build on.

What ``courses`` offers other in-process apps (``quizzes``, ``certificates``, a host site's own
apps) is the modules below, and only these: everything else in ``courses`` is its own and may
change without notice. ``.importlinter`` (contract ``courses-public-surface``) keeps other apps
to this list, and ``tests/test_architecture.py`` keeps the list and the contract the same.
``courses`` itself never imports ``quizzes`` or ``certificates``: they react to it through its
signals and registries.

The domain
    - ``courses.models``: the pages, enrolments, cohorts, provinces and ``CourseItem``
    - ``courses.services``: writes (enrol, complete, restart a course, ...)
    - ``courses.selectors``: reads (cohorts visible to a user, ...)
    - ``courses.signals``: ``course_completed``
    - ``courses.exceptions``: ``LMSError`` and the domain errors views map to messages
    - ``courses.progress``: the pure progress arithmetic
    - ``courses.conf``: ``lms_settings``, the ``LMS`` settings with their defaults

Access and records
    - ``courses.permissions``: the permission policies of course-scoped objects
    - ``courses.roles``: the roles (trainers, HR, delegates) and the permissions apps grant them
    - ``courses.privacy.registry``: where an app registers its personal data (export, erasure)

Helpers
    - ``courses.text``: Vietnamese text (NFC, diacritics, matching keys, spaces)
    - ``courses.sites``: absolute URLs of the site
    - ``courses.caching``: whether the cache is one for every process (Redis)
    - ``courses.compat``: what differs between the supported Django and Wagtail releases
    - ``courses.blocks``: the rich text features of course content
    - ``courses.model_fields``: the column fields of a model
    - ``courses.uploads``: the one reader of uploaded files (limits, encodings, workbooks)
    - ``courses.spreadsheets``: the one writer of CSV and Excel exports
    - ``courses.leases``: which task run works on a background job, and its take-over

Toolkits
    - ``courses.admin_toolkit``: Wagtail admin scoping, multi-step screens, listings
    - ``courses.web_toolkit``: sign-in, throttling, safe redirects, client addresses
    - ``courses.api.toolkit``: the REST API's shared viewset, filters, schema and serializers
"""
