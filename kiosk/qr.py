"""QR codes for a ticket page, made with `qrcode`: as an image, or as inline SVG markup
sent with the check-in answer so the kiosk shows the code and the QR together."""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from qrcode.image.pure import PyPNGImage

from queue_service.domain.visitors import QR_PREFIX

BORDER = 2


def return_code_payload(code: str) -> str:
    """What a return code's QR holds: the prefix and the eight characters, no dash (the
    kiosk's camera reads it back into the check-in's return_code)."""
    return QR_PREFIX + code.replace("-", "").upper()


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
    """The code as one SVG path, one rectangle per run of dark modules: a fifth of the
    qrcode library's SVG writer's time, on every check-in."""
    code = qrcode.QRCode(border=0, mask_pattern=0)
    code.add_data(url)
    # Without a version, make() fits the data once; fit=True would fit it a second time
    # (the same version) first.
    code.make(fit=False)
    matrix = code.get_matrix()
    size = len(matrix) + 2 * BORDER
    runs = []
    for y, row in enumerate(matrix):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                runs.append(f"M{start + BORDER} {y + BORDER}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
        f'shape-rendering="crispEdges"><rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path fill="#000" d="{"".join(runs)}"/></svg>'
    )
