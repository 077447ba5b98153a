"""Steps in the Wagtail admin shared by the trainer and HR journeys.

Labels are looked up in the Vietnamese catalogues (ours and Wagtail's), so a test finds a button
by what a Vietnamese trainer reads on it, and a changed translation changes the test with it.
Where Wagtail's own catalogue has no Vietnamese, ``vi()`` returns the English that the admin
shows. Only a few Wagtail widgets without a usable accessible name are found by their stable
attributes (``data-side-panel-toggle``, ``data-streamfield-child``, Draftail's editor).
"""

import gettext as gettext_module
import re
from pathlib import Path

import wagtail.admin
from django.utils import translation
from django.utils.translation import gettext, ngettext, pgettext
from playwright.sync_api import FrameLocator, Locator, Page, expect

import courses.wagtail_vi


def vi(message: str, context: str | None = None) -> str:
    """``message`` as the admin shows it in Vietnamese."""
    with translation.override("vi"):
        return pgettext(context, message) if context else gettext(message)


def vi_js(message: str) -> str:
    """``message`` as Wagtail's scripts show it in Vietnamese: from the supplement's script
    catalogue (``courses.wagtail_vi``), else Wagtail's own."""
    for localedir in (
        Path(courses.wagtail_vi.__file__).parent / "locale",
        Path(wagtail.admin.__file__).parent / "locale",
    ):
        catalogue = gettext_module.translation(
            "djangojs", localedir=localedir, languages=["vi"], fallback=True
        )
        translated = catalogue.gettext(message)
        if translated != message:
            return translated
    return message


def vi_n(singular: str, plural: str, count: int) -> str:
    with translation.override("vi"):
        return ngettext(singular, plural, count)


def _escape(text: str) -> str:
    # Playwright sends a pattern to the browser as /source/: a bare slash would end it.
    return re.escape(text).replace("/", r"\/")


def exact(text: str) -> re.Pattern:
    """Matches an accessible name that is exactly ``text`` (spaces around it allowed)."""
    return re.compile(rf"^\s*{_escape(text)}\s*$")


def field_name(label: str) -> re.Pattern:
    """A form field's accessible name: its label, with the asterisk of a required field."""
    return re.compile(rf"^\s*{_escape(label)}\s*\*?\s*$", re.IGNORECASE)


# The page editor


def add_block(page: Page, label: str) -> Locator:
    """Append a block of type ``label`` to the page's only StreamField; return the new block."""
    blocks = page.locator("[data-streamfield-stream-container] > [data-streamfield-child]")
    count = blocks.count()
    page.get_by_role("button", name=vi_js("Insert a block")).last.click()
    page.get_by_role("option", name=exact(label)).click()
    expect(blocks).to_have_count(count + 1)
    return blocks.nth(count)


def type_rich_text(block: Locator, text: str) -> None:
    """Type into the (only) Draftail rich text editor of ``block``."""
    editor = block.locator("[contenteditable='true'][role='textbox']")
    editor.click()
    editor.press_sequentially(text)
    expect(editor).to_contain_text(text)
    # Draftail copies its text into the form's input at most every 250 ms: saving before that
    # would post the text as it was.
    block.page.wait_for_function(
        "([block, text]) => [...block.querySelectorAll('input')]"
        ".some((input) => input.value.includes(text))",
        arg=[block.element_handle(), text],
    )


def open_preview(page: Page) -> FrameLocator:
    """Open the editor's preview side panel and return its frame."""
    toggle = page.locator("[data-side-panel-toggle='preview']")
    if toggle.get_attribute("aria-expanded") != "true":  # Wagtail remembers an open panel
        toggle.click()
    iframe = page.locator("#w-preview-iframe")
    expect(iframe).to_be_visible()
    return page.frame_locator("#w-preview-iframe")


def publish(page: Page, title: str) -> None:
    """Publish the page ``title`` from the editor's footer menu; wait for Wagtail to confirm."""
    # Wagtail autosaves the editor (a new page is created by its first autosave): publishing
    # while an autosave is in flight would post the page a second time.
    page.wait_for_load_state("networkidle")
    expect(page.locator("#w-autosave-indicator")).not_to_have_attribute(
        "data-w-autosave-state-value", "saving"
    )
    footer = page.locator("footer")
    footer.get_by_role("button", name=vi("More actions")).click()
    footer.get_by_role("button", name=exact(vi("Publish"))).click()
    messages = (
        vi("Page '%(page_title)s' created and published."),  # a new page
        vi("Page '%(page_title)s' has been published."),
    )
    published = "|".join(_escape(message % {"page_title": title}) for message in messages)
    expect(page.get_by_text(re.compile(published))).to_be_visible()


# Listings


def filter_listing(page: Page, label: str, option: str) -> None:
    """Pick ``option`` in the listing's filter ``label`` (Wagtail's "Filter by" drill-down),
    then close the drill-down again. The caller waits for the rows it expects."""
    toggle = page.get_by_role("button", name=vi("Show filters"))
    toggle.click()
    page.get_by_role("button", name=exact(label)).click()
    page.get_by_label(label, exact=True).select_option(label=option)
    page.get_by_role("button", name=vi("Back")).filter(visible=True).click()
    page.keyboard.press("Escape")
    expect(toggle).to_have_attribute("aria-expanded", "false")
