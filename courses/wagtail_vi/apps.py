from django.apps import AppConfig


class WagtailVietnameseConfig(AppConfig):
    name = "courses.wagtail_vi"
    label = "lms_wagtail_vi"
