"""The quiz benchmark's requests in this process, through Django's test client: one handler (its
middleware built once, as in a gunicorn worker), each request with its delegate's cookies.
Shared by ``profile_quiz.py`` (CPU time and cProfile) and ``instructions.py`` (callgrind).

Answers are planned by request number, not by delegate: every run gives the same answers, so
the same attempts pass and the same work is measured.
"""

import json
import os
from http.cookies import SimpleCookie

KINDS = ("ping", "reference", "start", "save", "autosave", "submit")


def add_arguments(parser) -> None:
    """``--database-url`` (the one ``run_quiz.py`` seeds) and the cache's arguments."""
    from benchmarks.run import add_cache_arguments
    from benchmarks.run_quiz import DEFAULT_DATABASE_URL

    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_QUIZ_DATABASE_URL", DEFAULT_DATABASE_URL),
        help="the database run_quiz.py seeded (default $BENCH_QUIZ_DATABASE_URL or %(default)s)",
    )
    add_cache_arguments(parser)


def setup_django(args) -> None:
    """The bench settings on the database ``run_quiz.py`` seeded, the cache and sessions in
    Redis unless ``--no-redis`` (``benchmarks.run.add_cache_arguments``). The Redis database is
    emptied first, as every runner does: another benchmark's database leaves users there under
    the same ids (sessions are in the database too: nobody is signed out)."""
    from benchmarks.run import prepare_cache

    os.environ.update(
        {"DJANGO_SETTINGS_MODULE": "lms.settings.bench", "DATABASE_URL": args.database_url}
    )
    url, _description = prepare_cache(args, [])
    if url is None:
        os.environ.pop("REDIS_URL", None)
    else:
        os.environ["REDIS_URL"] = url
    import django

    django.setup()


class QuizRequests:
    """Fresh delegates of the seeded quiz, and each kind of request for delegate ``i``: a
    function returning ``(response, expected status)``."""

    def __init__(self, delegates: int) -> None:
        from django.contrib.auth import get_user_model
        from django.test import Client

        from benchmarks.quiz_seed import add_delegates, load
        from quizzes.models import QuizPage

        quiz = QuizPage.objects.filter(slug="kiem-tra").first()
        if quiz is None:
            raise SystemExit("No seeded quiz: run benchmarks/run_quiz.py first.")
        self.seeded = load(quiz)
        first = get_user_model().objects.filter(username__startswith="bench.quiz").count()
        self.delegates = add_delegates(quiz.get_parent().specific, delegates, first=first)
        self.client = Client(HTTP_HOST="127.0.0.1")
        self.attempts: dict[int, int] = {}

    def task(self, kind: str):
        return getattr(self, kind)

    def run(self, kind: str, indexes) -> None:
        for i in indexes:
            response, expected = self.task(kind)(i)
            if response.status_code != expected:
                raise SystemExit(f"{kind}: {response.status_code}")

    def _as(self, i: int):
        self.client.cookies = SimpleCookie()
        self.client.cookies.load(self.delegates[i].cookie)
        return self.client

    def _post_json(self, i: int, path: str, body: dict):
        return self._as(i).post(path, json.dumps(body), content_type="application/json")

    def _planned(self, i: int, position: int):
        from benchmarks.quiz_seed import planned

        return planned(self.seeded.keys, i, position)

    def ping(self, i: int):
        """The framework's floor: middleware, session and user, no view work."""
        return self._as(i).get("/bench/ping/"), 200

    def reference(self, i: int):
        return self._as(i).post("/bench/reference-write/"), 200

    def start(self, i: int):
        response = self._as(i).post(f"/learn/quizzes/{self.seeded.quiz_id}/start/")
        self.attempts[i] = int(response["Location"].split("/")[3])
        return response, 302

    def save(self, i: int, page: int = 0):
        body = {"answers": {str(p): self._planned(i, p) for p in self.seeded.pages[page]}}
        return self._post_json(i, f"/learn/attempts/{self.attempts[i]}/save/", body), 200

    def autosave(self, i: int):
        """Second thoughts: one answer of the first page changed, as attempt.js autosaves."""
        position = self.seeded.pages[0][0]
        key = self.seeded.keys[position]
        changed = key.wrong if self._planned(i, position) == key.right else key.right
        body = {"answers": {str(position): changed}}
        return self._post_json(i, f"/learn/attempts/{self.attempts[i]}/save/", body), 200

    def submit(self, i: int):
        return self._as(i).post(f"/learn/attempts/{self.attempts[i]}/submit/"), 302

    def answer_the_other_pages(self, indexes) -> None:
        """Real attempts to submit: every page answered (about half of them pass)."""
        for i in indexes:
            for page in range(1, len(self.seeded.pages)):
                self.save(i, page)
