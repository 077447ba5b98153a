"""``courses.context_processors.lms``: which base template LMS pages extend.

Only needed when ``LMS["BASE_TEMPLATE"]`` names a host's template; without it every LMS page
uses the LMS's own layout (and a system check says so if the setting asks for another).
"""

from courses.conf import DEFAULTS, lms_settings


def lms(request) -> dict:
    base = lms_settings.BASE_TEMPLATE
    return {"lms_base_template": base, "lms_host_layout": base != DEFAULTS["BASE_TEMPLATE"]}
