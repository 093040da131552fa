"""A minimal ZIP writer that copies unchanged members' compressed bytes verbatim.

Re-deflating styles.xml and friends on every render would cost more than rendering the
document itself, so static members are compressed once when a template is loaded.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

_DOS_TIME, _DOS_DATE = 0, (0 << 9) | (1 << 5) | 1  # 1980-01-01 00:00
_STORED, _DEFLATED = 0, 8
_UTF8_FLAG = 0x800


@dataclass(frozen=True)
class Member:
    """One ZIP member, already compressed."""

    name: bytes
    method: int
    crc: int
    size: int
    data: bytes

    @classmethod
    def deflated(cls, name: str, raw: bytes, level: int = 1) -> Member:
        """Deflate ``raw`` (raw deflate stream, as ZIP expects)."""
        compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
        data = compressor.compress(raw) + compressor.flush()
        return cls(name.encode("utf-8"), _DEFLATED, zlib.crc32(raw), len(raw), data)

    @classmethod
    def stored(cls, name: str, raw: bytes) -> Member:
        """Store ``raw`` uncompressed (for PNG and other compressed media)."""
        return cls(name.encode("utf-8"), _STORED, zlib.crc32(raw), len(raw), raw)


def write_zip(members: list[Member]) -> bytes:
    """Serialise ``members`` as a ZIP archive (no ZIP64; DOCX parts are small)."""
    chunks: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for m in members:
        flags = _UTF8_FLAG if not m.name.isascii() else 0
        local = struct.pack(
            "<4s5H3L2H",
            b"PK\x03\x04",
            20,
            flags,
            m.method,
            _DOS_TIME,
            _DOS_DATE,
            m.crc,
            len(m.data),
            m.size,
            len(m.name),
            0,
        )
        chunks += (local, m.name, m.data)
        central.append(
            struct.pack(
                "<4s6H3L5H2L",
                b"PK\x01\x02",
                20,
                20,
                flags,
                m.method,
                _DOS_TIME,
                _DOS_DATE,
                m.crc,
                len(m.data),
                m.size,
                len(m.name),
                0,
                0,
                0,
                0,
                0o644 << 16,
                offset,
            )
            + m.name
        )
        offset += len(local) + len(m.name) + len(m.data)
    directory = b"".join(central)
    end = struct.pack(
        "<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members), len(directory), offset, 0
    )
    return b"".join(chunks) + directory + end
