"""Wagtail's admin in Vietnamese: the messages Wagtail's own Vietnamese catalogue leaves in English
(Save draft, Add child page, filters, users, images, documents...), as an app of its own so that
its catalogue ships with the LMS and applies without ``LOCALE_PATHS``.

Add ``"courses.wagtail_vi"`` to ``INSTALLED_APPS`` before Wagtail's and Django's apps: Django
merges app catalogues in that order, the first one listed winning. Its JavaScript messages
(``djangojs``) are served by a catalogue of its own, loaded on every admin page
(``wagtail_hooks``). It holds no messages of the LMS, so ``makemessages`` leaves its catalogues
alone; tests keep it complete,
placeholder-exact, limited to what Wagtail leaves untranslated, and clear of the LMS's messages.
"""
