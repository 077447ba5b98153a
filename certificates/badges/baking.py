"""Badge images with the credential baked in (Open Badges 3.0 §5.3 "Baking"): in a PNG, an
uncompressed ``iTXt`` chunk with the keyword ``openbadgecredential``; in an SVG, an
``<openbadges:credential>`` element of the namespace ``https://purl.imsglobal.org/ob/v3p0``.
Either holds the compact VC-JWT, so a wallet that imports the image gets the signed credential."""

import io
from pathlib import Path

from django.template.loader import render_to_string
from PIL import Image, ImageDraw, ImageFont
from PIL.PngImagePlugin import PngInfo

PNG_KEYWORD = "openbadgecredential"
SVG_NAMESPACE = "https://purl.imsglobal.org/ob/v3p0"
SIZE = 400
FONT = Path(__file__).resolve().parent.parent / "fonts" / "DejaVuSans-Bold.ttf"


def badge_png(*, token: str, label: str, colour: str) -> bytes:
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, SIZE - 8, SIZE - 8), fill=colour, outline="#ffffff", width=12)
    font = _fitting_font(draw, label, width=SIZE * 0.8)
    draw.text((SIZE / 2, SIZE / 2), label, fill="#ffffff", font=font, anchor="mm")
    info = PngInfo()
    info.add_itxt(PNG_KEYWORD, token, zip=False)
    out = io.BytesIO()
    image.save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def _fitting_font(draw: ImageDraw.ImageDraw, label: str, *, width: float):
    """The largest size up to 48 px at which the label fits inside the circle."""
    for size in range(48, 11, -4):
        font = ImageFont.truetype(str(FONT), size)
        if draw.textlength(label, font=font) <= width:
            return font
    return font


def badge_svg(*, token: str, label: str, colour: str) -> bytes:
    # Bold sans-serif capitals are about 0.7 em wide: keep the label inside the circle.
    font_size = max(12, min(40, int(SIZE * 0.8 / (0.7 * max(len(label), 1)))))
    context = {
        "token": token,
        "label": label,
        "colour": colour,
        "namespace": SVG_NAMESPACE,
        "font_size": font_size,
    }
    return render_to_string("certificates/badges/badge.svg", context).encode()
