"""Make the demo lesson's media files in fixtures/media/ (run once at development time; the files
are committed and the demo loader only copies them into the site's documents and images).

    python -m venv /tmp/media && /tmp/media/bin/pip install av numpy pillow reportlab
    /tmp/media/bin/python scripts/make_demo_media.py

PyAV's wheel carries FFmpeg, so no system install is needed; the project itself never imports
it. The text comes from the first conference report (../shared/source-material): the infographic
holds the conference's figures, the video and its Vietnamese captions the solutions proposed
for information to the press, the PDF a one-page summary for delegates to keep.
"""

import sys
from fractions import Fraction
from pathlib import Path

import av
import numpy
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "fixtures" / "media"
FONTS = ROOT / "certificates" / "fonts"
RED, CREAM, INK = (164, 29, 36), (253, 248, 238), (33, 33, 33)

FACTS = [
    ("280", "đại biểu tham dự"),
    ("26", "tỉnh, thành phố"),
    ("Lần 3", "hội nghị trong năm"),
]

# (start, end, slide title, caption): the video shows the title, the captions say the line.
SLIDES = [
    (0, 3, "Cung cấp thông tin nhanh", "Cần có cơ chế cung cấp thông tin nhanh nhất cho báo chí."),
    (3, 6, "Không né tránh báo chí", "Chậm thông tin, né tránh báo chí dễ gây khủng hoảng."),
    (6, 9, "Chủ động giới thiệu", "Chủ động giới thiệu thành tựu bảo đảm quyền con người."),
]


def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(FONTS / name), size)


def infographic() -> None:
    image = Image.new("RGB", (960, 540), CREAM)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 960, 96), fill=RED)
    draw.text((40, 26), "Hội nghị tập huấn thông tin đối ngoại", font=font(36, True), fill=CREAM)
    draw.text((40, 112), "về quyền con người", font=font(30), fill=INK)
    for column, (figure, label) in enumerate(FACTS):
        left = 40 + column * 300
        draw.rounded_rectangle((left, 190, left + 270, 440), radius=18, outline=RED, width=4)
        draw.text((left + 135, 290), figure, font=font(72, True), fill=RED, anchor="mm")
        draw.text((left + 135, 390), label, font=font(24), fill=INK, anchor="mm")
    draw.text((40, 480), "Quán triệt Kết luận số 57-KL/TW ngày 15/6/2023", font=font(24), fill=INK)
    image.quantize(colors=16).save(OUT / "hoi-nghi-tap-huan.png", optimize=True)


def slide(title: str, size: tuple[int, int]) -> Image.Image:
    width, height = size
    image = Image.new("RGB", size, RED)
    draw = ImageDraw.Draw(image)
    draw.text((width // 2, height // 2 - 20), title, font=font(26, True), fill=CREAM, anchor="mm")
    draw.text(
        (width // 2, height - 30), "Thông tin đối ngoại về quyền con người",
        font=font(14), fill=CREAM, anchor="mm",
    )  # fmt: skip
    return image


def video() -> None:
    size, fps = (480, 270), 5
    slide(SLIDES[0][2], size).save(OUT / "giai-phap-poster.jpg", quality=70, optimize=True)
    container = av.open(str(OUT / "giai-phap.mp4"), "w", options={"movflags": "+faststart"})
    stream = container.add_stream("libx264", rate=fps)
    stream.width, stream.height = size
    stream.pix_fmt = "yuv420p"
    stream.options = {"crf": "32", "preset": "veryslow", "profile": "baseline"}
    stream.time_base = Fraction(1, fps)
    for start, end, title, _caption in SLIDES:
        frame_image = numpy.asarray(slide(title, size))
        for _ in range((end - start) * fps):
            frame = av.VideoFrame.from_ndarray(frame_image, format="rgb24")
            for packet in stream.encode(frame):
                container.mux(packet)
    for packet in stream.encode():
        container.mux(packet)
    container.close()
    cues = ["WEBVTT", ""]
    for number, (start, end, _title, caption) in enumerate(SLIDES, start=1):
        cues += [str(number), f"00:00:{start:02d}.000 --> 00:00:{end:02d}.000", caption, ""]
    (OUT / "giai-phap.vi.vtt").write_text("\n".join(cues), encoding="utf-8")


def summary_pdf() -> None:
    pdfmetrics.registerFont(TTFont("DejaVuSans", str(FONTS / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(FONTS / "DejaVuSans-Bold.ttf")))
    pdf = canvas.Canvas(str(OUT / "tom-tat-hoi-nghi.pdf"), pagesize=A4, invariant=True)
    pdf.setTitle("Tóm tắt hội nghị tập huấn thông tin đối ngoại về quyền con người")
    pdf.setFont("DejaVuSans-Bold", 15)
    top = A4[1] - 25 * mm
    pdf.drawString(20 * mm, top, "Tóm tắt hội nghị tập huấn")
    pdf.drawString(20 * mm, top - 8 * mm, "Thông tin đối ngoại về quyền con người")
    lines = [
        "280 đại biểu của các cơ quan Trung ương và 26 tỉnh, thành phố tham dự.",
        "Hội nghị quán triệt Kết luận số 57-KL/TW ngày 15/6/2023 của Bộ Chính trị",
        "và triển khai Đề án truyền thông về quyền con người ở Việt Nam.",
        "",
        "Giải pháp được nêu tại hội nghị:",
        "- có cơ chế cung cấp thông tin nhanh nhất cho các cơ quan báo chí;",
        "- không chậm thông tin, không né tránh báo chí;",
        "- chủ động giới thiệu thành tựu bảo đảm quyền con người của Việt Nam.",
    ]
    pdf.setFont("DejaVuSans", 11)
    for number, line in enumerate(lines):
        pdf.drawString(20 * mm, top - (22 + 7 * number) * mm, line)
    pdf.showPage()
    pdf.save()


def main() -> int:
    OUT.mkdir(exist_ok=True)
    infographic()
    video()
    summary_pdf()
    for path in sorted(OUT.iterdir()):
        sys.stdout.write(f"{path.relative_to(ROOT)}: {path.stat().st_size} bytes\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
