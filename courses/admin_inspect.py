"""Wagtail's inspect view, showing times in the site's time zone and empty values as a dash."""

from datetime import datetime

from django.utils import timezone
from wagtail.admin.views import generic


class LocalTimeInspectView(generic.InspectView):
    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        # Wagtail's template formats values with |localize, which skips the conversion to the
        # site's time zone that a plain {{ value }} makes: times would show in UTC.
        if isinstance(value, datetime) and timezone.is_aware(value):
            return timezone.localtime(value)
        if value is None:
            return "—"  # rather than the word "None", in English, on a Vietnamese page
        return value
