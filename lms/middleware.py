from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    """Pages are in Vietnamese unless the visitor chose another language with the switcher.

    Many delegates' phones and office browsers are set to English, but the courses are in
    Vietnamese; a browser's Accept-Language alone would give them an English frame around
    Vietnamese lessons. API clients (paths under ``LMS_API_PREFIX``) still negotiate with
    Accept-Language, as integrations expect.
    """

    def process_request(self, request):
        if request.path.startswith(getattr(settings, "LMS_API_PREFIX", "/api/")):
            return super().process_request(request)
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
