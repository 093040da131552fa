"""QR code PNG for the archive index printed on every document."""

from __future__ import annotations

import io

import qrcode
import qrcode.constants
from PIL import Image

# A version-4 code plus quiet zone is 41 modules; x 6 px = 246 px, ~280 dpi at 22 mm.
BOX_SIZE = 6
BORDER = 4
# A fixed mask skips qrcode's eight-way penalty search (~6 ms in pure Python); any mask is
# valid for decoders and error correction M keeps the code robust on paper.
MASK_PATTERN = 2


def qr_png(payload: str) -> bytes:
    """Encode ``payload`` as a black-and-white PNG QR code (error correction M)."""
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=BORDER,
        mask_pattern=MASK_PATTERN,
    )
    code.add_data(payload)
    code.make(fit=True)
    matrix = code.get_matrix()
    size = len(matrix)
    pixels = bytes(0 if dark else 255 for row in matrix for dark in row)
    image = Image.frombytes("L", (size, size), pixels)
    image = image.resize((size * BOX_SIZE, size * BOX_SIZE), Image.Resampling.NEAREST)
    out = io.BytesIO()
    image.convert("1").save(out, format="PNG")
    return out.getvalue()
