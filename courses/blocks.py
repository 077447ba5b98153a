"""StreamField blocks for course and module content."""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock, ImageChooserBlock

from courses.embeds import embed_html

VIDEO_EXTENSIONS = {"mp4": "video/mp4", "webm": "video/webm"}
CAPTION_EXTENSIONS = {"vtt"}

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "h3", "h4", "document-link"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Text"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("Level"),
        choices=[("h2", _("Section heading")), ("h3", _("Sub-heading"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "courses/blocks/heading.html"


class FigureBlock(blocks.StructBlock):
    image = ImageBlock(label=_("Image"))
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=300)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "courses/blocks/figure.html"


class OfflineFriendlyEmbedBlock(EmbedBlock):
    """An embed address accepted whether or not its provider can be reached now (Wagtail's own
    block refuses the form when oEmbed is unreachable, as on an offline intranet). It must still
    be a well-formed web address; the page shows a plain link while no player can be had."""

    def clean(self, value):
        return blocks.URLBlock.clean(self, value)


class VideoBlock(blocks.StructBlock):
    video = OfflineFriendlyEmbedBlock(
        label=_("Video URL"),
        help_text=_(
            "A YouTube or Vimeo address. Without the Internet, delegates see a link to it: on an "
            "offline network, upload the video instead (“Video file”)."
        ),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=300)

    class Meta:
        icon = "media"
        label = _("Video")
        template = "courses/blocks/video.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        url = value["video"].url if value["video"] else ""
        context["embed_html"] = embed_html(url)
        context["video_url"] = url
        context["video_host"] = urlsplit(url).hostname or ""
        return context


def _extension(document) -> str:
    return (document.file_extension or "").lower()


class UploadedVideoBlock(blocks.StructBlock):
    """A video file served by this site, so it plays on a network without the Internet, with a
    poster and captions."""

    video = DocumentChooserBlock(
        label=_("Video file"),
        help_text=_("An MP4 (or WebM) video uploaded to the documents."),
    )
    poster = ImageChooserBlock(
        label=_("Poster image"), required=False, help_text=_("Shown before the video plays.")
    )
    captions = DocumentChooserBlock(
        label=_("Captions"),
        required=False,
        help_text=_("A WebVTT captions file (.vtt) uploaded to the documents."),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=300)

    class Meta:
        icon = "media"
        label = _("Video file")
        template = "courses/blocks/uploaded_video.html"

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        if value["video"] and _extension(value["video"]) not in VIDEO_EXTENSIONS:
            errors["video"] = ValidationError(_("Choose an MP4 or WebM video file."))
        if value["captions"] and _extension(value["captions"]) not in CAPTION_EXTENSIONS:
            errors["captions"] = ValidationError(_("Choose a WebVTT captions file (.vtt)."))
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        video = value["video"]
        context["video_type"] = VIDEO_EXTENSIONS.get(_extension(video), "") if video else ""
        return context


class DownloadBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(
        label=_("Link text"), required=False, help_text=_("Defaults to the document's title.")
    )
    description = blocks.TextBlock(label=_("Description"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("Downloadable document")
        template = "courses/blocks/download.html"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(label=_("Attribution"), required=False, max_length=300)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "courses/blocks/quote.html"


class CalloutBlock(blocks.StructBlock):
    tone = blocks.ChoiceBlock(
        label=_("Kind"),
        choices=[
            ("note", _("Note")),
            ("key", _("Key point")),
            ("warning", _("Warning")),
        ],
        default="note",
    )
    title = blocks.CharBlock(label=_("Title"), required=False, max_length=200)
    body = blocks.RichTextBlock(label=_("Text"), features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "help"
        label = _("Callout")
        template = "courses/blocks/callout.html"


class KeyFactBlock(blocks.StructBlock):
    figure = blocks.CharBlock(
        label=_("Figure"), required=False, max_length=40, help_text=_("e.g. 280 or 15/6/2023")
    )
    text = blocks.CharBlock(label=_("Fact"), max_length=400)


class KeyFactsBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), required=False, max_length=200)
    facts = blocks.ListBlock(KeyFactBlock(), label=_("Facts"), min_num=1)

    class Meta:
        icon = "list-ul"
        label = _("Key facts")
        template = "courses/blocks/key_facts.html"


class ModuleContentBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(label=_("Paragraph"), features=RICH_TEXT_FEATURES)
    image = FigureBlock()
    video = VideoBlock()
    uploaded_video = UploadedVideoBlock()
    download = DownloadBlock()
    quote = QuoteBlock()
    callout = CalloutBlock()
    key_facts = KeyFactsBlock()
