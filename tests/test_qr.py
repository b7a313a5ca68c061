"""The kiosk's inline QR code draws exactly the modules the qrcode library computes."""

from __future__ import annotations

import re

import qrcode

from kiosk.qr import BORDER, qr_svg


def test_the_inline_svg_is_the_libraries_matrix_module_for_module() -> None:
    url = "https://frontdoor.example/t/abcdefghijklmnopqrstuvwxyz0123456789AB"
    code = qrcode.QRCode(border=0, mask_pattern=0)
    code.add_data(url)
    code.make(fit=True)
    expected = code.get_matrix()
    drawn = [[False] * len(expected) for _ in expected]
    for x, y, width in re.findall(r"M(\d+) (\d+)h(\d+)", qr_svg(url)):
        for dx in range(int(width)):
            drawn[int(y) - BORDER][int(x) - BORDER + dx] = True
    assert drawn == expected
