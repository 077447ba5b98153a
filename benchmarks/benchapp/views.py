from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from benchmarks.benchapp.models import BenchAnswer, BenchAttempt


def ping(request):
    """The framework's floor: middleware and routing, no template, no query."""
    return HttpResponse("ok", content_type="text/plain")


@require_POST
def reference_write(request):
    """The quiz benchmark's reference: a CSRF-checked POST that writes, in one transaction, one
    attempt-like row and twenty answer rows. No session, no login, no quiz logic."""
    with transaction.atomic():
        attempt = BenchAttempt.objects.create(
            user_id=0,
            started_at=timezone.now(),
            pages=[list(range(p, p + 5)) for p in (0, 5, 10, 15)],
        )
        BenchAnswer.objects.bulk_create(
            BenchAnswer(attempt=attempt, position=position, answer=position)
            for position in range(20)
        )
    return JsonResponse({"id": attempt.pk})
