"""QR codes for a ticket page, made with `qrcode`: as an image, or as inline SVG markup
sent with the check-in answer so the kiosk shows the code and the QR together."""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from qrcode.image.pure import PyPNGImage


def qr_bytes(url: str, kind: str) -> bytes:
    factory = qrcode.image.svg.SvgPathImage if kind == "svg" else PyPNGImage
    image = qrcode.make(url, image_factory=factory, border=2, box_size=10)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue()


def qr_svg(url: str) -> str:
    return qr_bytes(url, "svg").decode()
