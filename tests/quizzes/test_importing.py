"""Importing question files into the bank (all or nothing), the management commands, the admin
screens, and export -> import round trips through the database."""

import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from quizzes import formats, importing
from quizzes.formats import QuestionFileError, gift
from quizzes.formats import xlsx as xlsx_format
from quizzes.keys import key_from_snapshot
from quizzes.models import Question, QuestionCategory
from quizzes.scoring import parse_number
from quizzes.services.versions import snapshot_of
from tests import factories, files
from tests.files import windows_1258
from tests.quizzes.factories import CategoryFactory, question

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.quizzes.importing_urls")]

GOOD = """// Bộ câu hỏi tập huấn
$CATEGORY: $course$/top/Kết luận 57

::Ban hành::Kết luận 57-KL/TW được ban hành ngày nào? {
  =15/6/2023#Đúng.
  ~14/2/2012#Đó là Kết luận 16.
}

// @marks: 2
::Nguyên tắc::Những cách làm nào đúng? {~%50%Chủ động ~%50%Đồng bộ ~%-50%Bị động}

$CATEGORY: Địa lý

::Thủ đô::Thủ đô của Việt Nam? {=Hà Nội =Ha Noi}
"""
# Line 16 has no right answer; line 18 is not closed.
BAD = GOOD + "\n::Sai::Không có đáp án đúng {~a ~b}\n\n::Hở::Chưa đóng {=a ~b\n"


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def category():
    return CategoryFactory(name="Ngân hàng chung")


# The service


def test_a_good_file_is_imported_into_the_categories_it_names(category):
    outcome = importing.import_questions(
        data=GOOD.encode(), fmt="gift", category=category, user=None
    )

    assert [q.name for q in outcome.questions] == ["Ban hành", "Nguyên tắc", "Thủ đô"]
    assert [c.name for c in outcome.new_categories] == ["Kết luận 57", "Địa lý"]
    first, second, third = (Question.objects.get(pk=q.pk) for q in outcome.questions)
    assert first.category.name == "Kết luận 57"
    assert third.category.name == "Địa lý"
    assert second.marks == Decimal(2)
    assert second.type == "multiple" and second.penalise_wrong_choices
    assert [(c.text, c.is_correct, c.feedback) for c in first.choices.all()] == [
        ("15/6/2023", True, "Đúng."),
        ("14/2/2012", False, "Đó là Kết luận 16."),
    ]
    assert [c.sort_order for c in first.choices.all()] == [0, 1]


def test_the_chosen_category_takes_every_question_when_file_categories_are_ignored(category):
    importing.import_questions(
        data=GOOD.encode(), fmt="gift", category=category, use_file_categories=False
    )

    assert set(Question.objects.values_list("category__name", flat=True)) == {category.name}
    assert QuestionCategory.objects.count() == 1


def test_a_category_given_by_name_is_created(db):
    importing.import_questions(
        data="Viết. {}".encode(), fmt="gift", category="Tự luận", use_file_categories=True
    )

    assert Question.objects.get().category.name == "Tự luận"


def test_one_bad_question_imports_nothing(category):
    with pytest.raises(importing.QuestionImportRejected) as caught:
        importing.import_questions(data=BAD.encode(), fmt="gift", category=category)

    assert [(e.line, e.message) for e in caught.value.errors] == [
        (16, "Mark at least one choice as correct."),
        (18, "The answers opened with “{” are not closed with “}”."),
    ]
    assert "2 errors" in caught.value.message
    assert not Question.objects.exists()
    assert list(QuestionCategory.objects.all()) == [category]


def test_a_failure_while_writing_rolls_back_what_was_written(category, monkeypatch):
    original = importing._create
    calls = []

    def failing_create(parsed, target):
        calls.append(parsed.name)
        if len(calls) == 3:
            raise RuntimeError("database went away")
        return original(parsed, target)

    monkeypatch.setattr(importing, "_create", failing_create)

    with pytest.raises(RuntimeError):
        importing.import_questions(data=GOOD.encode(), fmt="gift", category=category)

    assert len(calls) == 3
    assert not Question.objects.exists()
    assert list(QuestionCategory.objects.all()) == [category]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("Thủ đô? {=Hà Nội ~Huế}".encode() + b"\x81", "encoding cannot be read"),
        (files.xlsx_bytes([["a"]]), "an Excel workbook or another zip file, not a text file"),
        (b"", "empty"),
    ],
)
def test_files_that_cannot_be_read_import_nothing(category, data, message):
    with pytest.raises(QuestionFileError, match=message):
        importing.import_questions(data=data, fmt="gift", category=category)

    assert not Question.objects.exists()


def test_the_plan_shows_where_questions_go_without_writing(category):
    CategoryFactory(name="Địa lý")

    plan = importing.plan_import(data=GOOD.encode(), fmt="gift", category=category)

    assert [(p.category, p.new_category) for p in plan.questions] == [
        ("Kết luận 57", True),
        ("Kết luận 57", True),
        ("Địa lý", False),
    ]
    assert plan.new_categories == ("Kết luận 57",)
    assert plan.can_import
    assert not Question.objects.exists()


def test_imports_are_logged_for_the_user(category, admin_user):
    from wagtail.models import ModelLogEntry

    importing.import_questions(data=GOOD.encode(), fmt="gift", category=category, user=admin_user)

    assert ModelLogEntry.objects.filter(action="wagtail.create", user=admin_user).count() == 5


# Round trips through the database


def comparable(snapshot: dict) -> dict:
    key = key_from_snapshot(snapshot)
    numerical = snapshot["type"] == "numerical"
    return {
        "type": snapshot["type"],
        "name": snapshot["name"],
        "text": snapshot["text"],
        "marks": Decimal(snapshot["marks"]),
        "general_feedback": snapshot["general_feedback"],
        "choices": [
            (
                parse_number(c["text"]) if numerical else c["text"],
                c["match"],
                k.fraction,
                k.tolerance,
                c["feedback"],
            )
            for c, k in zip(snapshot["choices"], key.choices, strict=True)
        ],
    }


@pytest.fixture
def bank(category):
    """One question of each type, with Vietnamese text and GIFT's special characters."""
    tf = [(gift.true_label(), False), (gift.false_label(), True)]
    questions = [
        question(
            kind,
            category=category,
            name=f"Câu {kind}: {{đặc biệt}} ~#=",
            text="<p>Kết luận 57-KL/TW {ban hành} ngày nào? ~ = # :</p>",
            general_feedback="Xem Kết luận 57 # mục 2",
            marks=Decimal("1.5"),
            **({"choices": tf} if kind == "true_false" else {}),
        )
        for kind in ["single", "multiple", "true_false", "short_answer", "numerical"]
    ]
    questions.append(question("matching", category=category, name="Ghép"))
    questions.append(question("ordering", category=category, name="Sắp xếp"))
    questions.append(question("essay", category=category, name="Tự luận", choices=[]))
    single = questions[0]
    first = single.choices.first()
    first.feedback = "Đúng: {15/6/2023}"
    first.save()
    return questions


@pytest.mark.parametrize(
    ("fmt", "types"),
    [
        (
            "gift",
            {"single", "multiple", "true_false", "short_answer", "numerical", "matching", "essay"},
        ),
        (
            "xlsx",
            {
                "single",
                "multiple",
                "true_false",
                "short_answer",
                "numerical",
                "matching",
                "ordering",
                "essay",
            },
        ),
        ("aiken", {"single"}),
    ],
)
def test_export_then_import_gives_equivalent_questions(bank, fmt, types):
    originals = importing.questions_to_export(category=bank[0].category)
    export = importing.export_questions(originals, fmt)
    target = CategoryFactory(name=f"Nhập lại {fmt}")

    outcome = importing.import_questions(
        data=export.content, fmt=fmt, category=target, use_file_categories=False
    )

    assert {s.name for s in export.skipped} == {q.name for q in originals if q.type not in types}
    expected = [comparable(snapshot_of(q)) for q in originals if q.type in types]
    imported = [comparable(snapshot_of(q)) for q in outcome.questions]
    if fmt == "aiken":  # no names, marks or feedback in Aiken
        for item in expected + imported:
            item.update(name="", marks=None, general_feedback="")
            item["choices"] = [(c[0], c[1], c[2], c[3], "") for c in item["choices"]]
        expected[0]["text"] = "<p>Kết luận 57-KL/TW {ban hành} ngày nào? ~ = # :</p>"
    assert imported == expected


def test_export_keeps_the_category_for_the_next_import(bank):
    export = importing.export_questions(importing.questions_to_export(ids=[bank[0].pk]), "gift")

    assert export.content.decode().startswith("$CATEGORY: Ngân hàng chung\n")


# Management commands


def write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_import_command(tmp_path, capsys):
    path = write(tmp_path, "cau-hoi.gift", GOOD.encode())

    call_command("import_questions", str(path), "--format", "gift", "--category", "Chung")

    assert Question.objects.count() == 3
    out = capsys.readouterr().out
    assert "3 questions were imported" in out
    assert "New category: Địa lý" in out


def test_import_command_dry_run_imports_nothing(tmp_path, capsys):
    path = write(tmp_path, "cau-hoi.txt", GOOD.encode())

    call_command("import_questions", str(path), "--category", "Chung", "--dry-run")

    assert not Question.objects.exists()
    assert not QuestionCategory.objects.exists()
    assert "3 questions would be imported" in capsys.readouterr().out


@pytest.mark.parametrize("dry_run", [False, True])
def test_import_command_lists_errors_with_lines_and_fails(tmp_path, capsys, dry_run):
    path = write(tmp_path, "cau-hoi.gift", BAD.encode())
    options = ["--dry-run"] if dry_run else []

    with pytest.raises(CommandError, match="2 errors; nothing was imported"):
        call_command("import_questions", str(path), "--category", "Chung", *options)

    err = capsys.readouterr().err
    assert f"{path}:16: Mark at least one choice as correct." in err
    assert f"{path}:18: " in err
    assert not Question.objects.exists()


def test_import_command_exits_non_zero(tmp_path):
    from django.core.management import execute_from_command_line

    path = write(tmp_path, "cau-hoi.gift", BAD.encode())

    with pytest.raises(SystemExit) as exited:
        execute_from_command_line(
            ["manage.py", "import_questions", str(path), "--category", "Chung"]
        )

    assert exited.value.code != 0


def test_import_command_refuses_a_file_that_no_encoding_reads(tmp_path):
    path = write(tmp_path, "cau-hoi.gift", "Thủ đô? {=Hà Nội ~Huế}".encode() + b"\x81")

    with pytest.raises(CommandError, match="encoding cannot be read: line 1"):
        call_command("import_questions", str(path), "--category", "Chung")
    assert not Question.objects.exists()


@pytest.mark.parametrize(
    "encode",
    [windows_1258, lambda text: text.encode("utf-16")],
    ids=["Windows-1258", "UTF-16"],
)
def test_import_command_reads_legacy_and_utf16_files(tmp_path, encode):
    path = write(tmp_path, "cau-hoi.gift", encode(GOOD))

    call_command("import_questions", str(path), "--category", "Chung")

    assert Question.objects.filter(name="Thủ đô").get().choices.first().text == "Hà Nội"


@pytest.mark.parametrize("name", files.MALFORMED)
def test_import_command_refuses_each_malformed_workbook_with_a_clear_error(tmp_path, name):
    good = files.xlsx_bytes([xlsx_format.headings(), ["tự luận", "", "Viết."]], shared_strings=True)
    path = write(tmp_path, "cau-hoi.xlsx", files.malformed_workbooks(good)[name])

    with pytest.raises(CommandError) as refused:
        call_command("import_questions", str(path), "--category", "Chung")

    message = str(refused.value)
    assert message.startswith(f"{path}: ")
    assert any(
        clue in message
        for clue in ("Excel", "workbook", "times its stored size", "parts", "sheet", "encrypted")
    )
    assert not Question.objects.exists()


def test_import_command_refuses_a_bomb_without_unpacking_it(tmp_path):
    path = write(tmp_path, "cau-hoi.xlsx", files.bomb())

    with files.Peak() as peak, pytest.raises(CommandError, match="times its stored size"):
        call_command("import_questions", str(path), "--category", "Chung")

    assert peak.bytes < 50 * files.MIB


def test_import_command_guesses_xlsx_from_the_name(tmp_path):
    path = write(tmp_path, "cau-hoi.xlsx", xlsx_workbook(["tự luận", "", "Viết một đoạn."]))

    call_command("import_questions", str(path), "--category", "Chung")

    assert Question.objects.get().type == "essay"


@pytest.mark.parametrize("fmt", ["gift", "aiken", "xlsx"])
def test_export_command(bank, tmp_path, capsys, fmt):
    path = tmp_path / f"out.{fmt}"

    call_command(
        "export_questions", "--category", "Ngân hàng chung", "--format", fmt, "-o", str(path)
    )

    assert path.stat().st_size > 0
    captured = capsys.readouterr()
    if fmt == "aiken":
        assert "1 question exported, 7 skipped" in captured.out
        assert "Aiken holds single-choice questions only." in captured.err
    elif fmt == "gift":
        assert "7 questions exported, 1 skipped" in captured.out
    else:
        assert "8 questions exported, 0 skipped" in captured.out


def test_export_command_needs_an_existing_category(tmp_path):
    with pytest.raises(CommandError, match="No question category"):
        call_command("export_questions", "--category", "Không có", "-o", str(tmp_path / "x"))


# Admin screens


def xlsx_workbook(*rows) -> bytes:
    book = openpyxl.Workbook()
    book.active.append(xlsx_format.headings())
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def upload(client, category, data: bytes, *, fmt="gift", name="cau-hoi.txt", **extra):
    response = client.post(
        reverse("quizzes_import"),
        {
            "file": SimpleUploadedFile(name, data),
            "format": fmt,
            "category": category.pk,
            "use_file_categories": "on",
            **extra,
        },
    )
    assert response.status_code == 302, text(response)[-3000:]
    return response["Location"]


def test_admin_uploads_previews_and_confirms(admin_client, category):
    preview_url = upload(admin_client, category, GOOD.encode())

    preview = admin_client.get(preview_url)
    assert preview.status_code == 200
    page = text(preview)
    assert "3 questions read from cau-hoi.txt" in page
    assert "Kết luận 57-KL/TW được ban hành ngày nào?" in page
    assert "New categories: Kết luận 57, Địa lý." in page
    assert "Import 3 questions" in page
    assert not Question.objects.exists()

    response = admin_client.post(
        reverse("quizzes_import_confirm", args=[preview_url.split("/")[-2]])
    )

    assert response.status_code == 302
    assert Question.objects.count() == 3
    result = text(admin_client.get(response["Location"]))
    assert "3 questions were imported from cau-hoi.txt" in result
    assert "Nguyên tắc" in result


def test_a_second_confirm_imports_nothing_more(admin_client, category):
    preview_url = upload(admin_client, category, GOOD.encode())
    confirm_url = preview_url + "confirm/"

    admin_client.post(confirm_url)
    response = admin_client.post(confirm_url)

    assert response.status_code == 302
    assert response["Location"].endswith("/imported/")
    assert Question.objects.count() == 3


def test_the_preview_lists_errors_with_their_lines_and_offers_no_import(admin_client, category):
    preview_url = upload(admin_client, category, BAD.encode())

    page = text(admin_client.get(preview_url))

    assert "Line 16: Mark at least one choice as correct." in page
    assert "Line 18: The answers opened with “{” are not closed with “}”." in page
    assert "Nothing can be imported while the file has errors." in page
    assert "confirm/" not in page

    response = admin_client.post(preview_url + "confirm/")  # forced anyway
    assert response.status_code == 400
    assert "Nothing was imported: the file has 2 errors." in text(response)
    assert not Question.objects.exists()


def test_xlsx_upload_with_row_errors(admin_client, category):
    data = xlsx_workbook(
        ["một lựa chọn", "", "Thủ đô?", 1, "Hà Nội", "Huế", "", "", "", "", "A"],
        ["một lựa chọn", "", "Thủ đô?", 1, "Hà Nội", "Huế", "", "", "", "", "D"],
    )
    preview_url = upload(admin_client, category, data, fmt="xlsx", name="cau-hoi.xlsx")

    assert "Line 3: The correct answer names option D, which is empty." in text(
        admin_client.get(preview_url)
    )


@pytest.mark.parametrize(
    ("data", "fmt", "message"),
    [
        ("Thủ đô? {=Hà Nội ~Huế}".encode() + b"\x81", "gift", "encoding cannot be read"),
        (b"not a workbook", "xlsx", "not an Excel workbook"),
        (b"", "gift", "empty"),
    ],
)
def test_an_unreadable_file_is_refused_at_upload(admin_client, category, data, fmt, message):
    response = admin_client.post(
        reverse("quizzes_import"),
        {"file": SimpleUploadedFile("x.txt", data or b" "), "format": fmt, "category": category.pk},
    )

    assert response.status_code == 400
    assert message in text(response)


@pytest.mark.parametrize("name", files.MALFORMED)
def test_every_malformed_workbook_is_a_400_with_a_translated_message(
    admin_client, category, settings, name
):
    settings.LANGUAGE_CODE = "vi"
    good = files.xlsx_bytes([xlsx_format.headings(), ["tự luận", "", "Viết."]], shared_strings=True)
    data = files.malformed_workbooks(good)[name]
    with translation.override("vi"), pytest.raises(QuestionFileError) as refused:
        formats.parse("xlsx", data)
    with translation.override("en"), pytest.raises(QuestionFileError) as in_english:
        formats.parse("xlsx", data)
    assert refused.value.message != in_english.value.message

    response = admin_client.post(
        reverse("quizzes_import"),
        {"file": SimpleUploadedFile("x.xlsx", data), "format": "xlsx", "category": category.pk},
    )

    assert response.status_code == 400
    assert escape(refused.value.message) in text(response)
    assert not admin_client.session.get("quizzes_question_imports")


def test_a_question_workbook_bomb_is_refused_fast_without_a_memory_spike(admin_client, category):
    upload = SimpleUploadedFile("cau-hoi.xlsx", files.bomb())

    with files.Peak() as peak:
        response = admin_client.post(
            reverse("quizzes_import"), {"file": upload, "format": "xlsx", "category": category.pk}
        )

    assert response.status_code == 400
    assert "unpacks to more than 100 times its stored size" in text(response)
    assert peak.bytes < 50 * files.MIB
    assert peak.seconds < 5


def test_upload_needs_a_category_or_a_new_one(admin_client):
    response = admin_client.post(
        reverse("quizzes_import"),
        {"file": SimpleUploadedFile("x.txt", b"Q? {T}"), "format": "gift"},
    )

    assert response.status_code == 400
    assert "Choose a category or name a new one." in text(response)


def test_upload_into_a_new_category(admin_client):
    response = admin_client.post(
        reverse("quizzes_import"),
        {
            "file": SimpleUploadedFile("x.txt", b"Q? {T}"),
            "format": "gift",
            "new_category": "  Chương   mới ",
        },
    )
    admin_client.post(response["Location"] + "confirm/")

    assert Question.objects.get().category.name == "Chương mới"


def test_an_unknown_token_sends_the_admin_back_to_upload(admin_client):
    response = admin_client.get(reverse("quizzes_import_preview", args=["nope"]))

    assert response.status_code == 302
    assert response["Location"] == reverse("quizzes_import")


def test_the_template_downloads(admin_client):
    response = admin_client.get(reverse("quizzes_import_template"))

    assert response.status_code == 200
    assert "question-template.xlsx" in response["Content-Disposition"]
    assert openpyxl.load_workbook(io.BytesIO(response.content)).sheetnames == [
        "Câu hỏi",
        "Hướng dẫn",
    ]


def test_the_upload_form_carries_a_csrf_token_and_posts_without_it_are_refused(
    admin_user, category
):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)

    assert 'name="csrfmiddlewaretoken"' in text(client.get(reverse("quizzes_import")))
    response = client.post(
        reverse("quizzes_import"),
        {"file": SimpleUploadedFile("x.txt", b"Q? {T}"), "format": "gift", "category": category.pk},
    )
    assert response.status_code == 403


# Permissions


def staff(*codenames):
    group = Group.objects.create(name="Staff " + "-".join(codenames))
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        *(Permission.objects.get(codename=codename) for codename in codenames),
    )
    user = factories.UserFactory()
    user.groups.add(group)
    return user


def test_import_needs_add_question(client, admin_user, category):
    admin = Client()
    admin.force_login(admin_user)
    preview_url = upload(admin, category, GOOD.encode())
    client.force_login(staff("view_question"))

    for url in [reverse("quizzes_import"), preview_url, reverse("quizzes_import_template")]:
        assert client.get(url).status_code == 403, url
    assert client.post(preview_url + "confirm/").status_code == 403
    assert (
        client.post(
            reverse("quizzes_import"),
            {
                "file": SimpleUploadedFile("x.txt", b"Q? {T}"),
                "format": "gift",
                "category": category.pk,
            },
        ).status_code
        == 403
    )
    assert not Question.objects.exists()


def test_a_trainer_who_may_add_questions_can_import(client, category):
    """Into the bank of a course they train (the shared bank is the administrators')."""
    trainer = staff("add_question")
    cohort = factories.CohortFactory()
    cohort.trainers.add(trainer)
    category.course = cohort.course
    category.save()
    client.force_login(trainer)

    preview_url = upload(client, category, GOOD.encode())
    client.post(preview_url + "confirm/")

    assert Question.objects.count() == 3


def test_export_needs_view_question(client, bank):
    client.force_login(staff("add_question"))
    query = f"?category={bank[0].category.pk}"

    assert client.get(reverse("quizzes_export") + query).status_code == 403
    assert client.get(reverse("quizzes_export_download", args=["gift"]) + query).status_code == 403


def test_visitors_are_sent_to_sign_in(client):
    assert client.get(reverse("quizzes_import")).status_code == 302
    assert client.get(reverse("quizzes_export")).status_code == 302


# Export screens


def test_export_page_lists_the_questions_and_what_each_format_leaves_out(client, bank):
    client.force_login(staff("view_question"))

    page = text(client.get(reverse("quizzes_export") + f"?category={bank[0].category.pk}"))

    assert "8 questions selected." in page
    assert "GIFT (Moodle): 7 questions" in page
    assert "Aiken (Moodle, single choice only): 1 question" in page
    assert "Excel template (.xlsx): 8 questions" in page
    assert "GIFT has no ordering questions." in page
    assert "Aiken holds single-choice questions only." in page


def test_export_page_without_a_selection_asks_for_a_category(admin_client, bank):
    page = text(admin_client.get(reverse("quizzes_export")))

    assert 'name="category"' in page
    assert "questions selected" not in page


@pytest.mark.parametrize("fmt", ["gift", "aiken", "xlsx"])
def test_download_a_category(admin_client, bank, fmt):
    response = admin_client.get(
        reverse("quizzes_export_download", args=[fmt]) + f"?category={bank[0].category.pk}"
    )

    assert response.status_code == 200
    assert "ngan-hang-chung" in response["Content-Disposition"]
    result = importing.read_file(data=response.content, fmt=fmt)
    assert result.ok
    assert len(result.questions) == int(response["X-Questions-Exported"])


def test_download_a_selection(admin_client, bank):
    ids = f"?id={bank[0].pk}&id={bank[3].pk}"

    response = admin_client.get(reverse("quizzes_export_download", args=["gift"]) + ids)

    names = [q.name for q in importing.read_file(data=response.content, fmt="gift").questions]
    assert names == sorted([bank[0].name, bank[3].name])
    assert 'filename="questions.gift.txt"' in response["Content-Disposition"]


def test_download_needs_a_known_format_and_a_selection(admin_client, bank):
    query = f"?category={bank[0].category.pk}"

    assert (
        admin_client.get(reverse("quizzes_export_download", args=["qti"]) + query).status_code
        == 404
    )
    assert admin_client.get(reverse("quizzes_export_download", args=["gift"])).status_code == 404
