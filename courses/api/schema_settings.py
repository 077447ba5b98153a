"""drf-spectacular's settings for the LMS schema, applied by ``courses.api.schema.SchemaView``
only: the host's ``SPECTACULAR_SETTINGS`` are left to the host's own API. Plain data, so that a
settings module may import it (the demo's Swagger UI does)."""

from courses.api.converters import ID_SCHEMA

# No SCHEMA_PATH_PREFIX: it is where the host mounted courses.api.urls, found from the paths.
SCHEMA_SETTINGS = {
    "TITLE": "LMS API",
    "DESCRIPTION": (
        "Courses, enrolments and quizzes for delegates; cohorts, attempts and quiz statistics "
        'for trainers and HR. Errors are JSON: {"code", "message", "errors"?}; messages '
        "follow Accept-Language (Vietnamese by default, English with `en`)."
    ),
    "VERSION": "1.0.0",
    "PREPROCESSING_HOOKS": ["courses.api.schema.lms_endpoints_only"],
    "COMPONENT_SPLIT_REQUEST": True,
    # Object ids in paths (courses.api.converters.IdConverter): at most 18 digits.
    "PATH_CONVERTER_OVERRIDES": {"lms_id": ID_SCHEMA},
    # Fields named "status" and "state" have several choice sets: name each set once.
    "ENUM_NAME_OVERRIDES": {
        "StatusEnum": "courses.api.serializers.PROGRESS_STATUSES",
        "StateEnum": "quizzes.models.Attempt.State",
        "CertificateStatusEnum": "certificates.models.Certificate.Status",
        "VerificationStatusEnum": "certificates.api.serializers.VERIFICATION_STATUSES",
        "BulkDownloadStateEnum": "certificates.models.bulk.BulkDownload.State",
    },
}
