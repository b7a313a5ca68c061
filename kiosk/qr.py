"""QR codes for a ticket page, made with `qrcode`: as an image, or as inline SVG markup
sent with the check-in answer so the kiosk shows the code and the QR together."""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from qrcode.image.pure import PyPNGImage


def qr_bytes(url: str, kind: str) -> bytes:
    factory = qrcode.image.svg.SvgPathImage if kind == "svg" else PyPNGImage
    # A fixed mask: choosing the "best" of eight costs half the time of a check-in's QR,
    # and any mask scans as well from a phone held to a tablet.
    code = qrcode.QRCode(border=2, box_size=10, mask_pattern=0, image_factory=factory)
    code.add_data(url)
    image = code.make_image()
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue()


def qr_svg(url: str) -> str:
    return qr_bytes(url, "svg").decode()
