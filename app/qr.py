"""QR codes as SVG: sharp at projector size and small to send."""
from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from flask import Response


def svg_response(link: str) -> Response:
    image = qrcode.make(link, image_factory=qrcode.image.svg.SvgPathFillImage, border=2,
                        error_correction=qrcode.constants.ERROR_CORRECT_M)
    buffer = io.BytesIO()
    image.save(buffer)
    response = Response(buffer.getvalue(), mimetype="image/svg+xml")
    response.cache_control.private = True
    response.cache_control.no_store = True  # the link is a secret of this run
    return response
