"""Materials are identified by their content and parsed; anything else is refused by name."""

from __future__ import annotations

import pytest

from archive.materials import Filing, MaterialFormat, MaterialInvalid, probe
from tests import material_files as files


@pytest.mark.parametrize(
    "data,fmt,pages,filing",
    [
        (files.scanned_pdf(3), MaterialFormat.pdf, 3, Filing.pages),
        (files.text_pdf(2), MaterialFormat.pdf, 2, Filing.pages),
        (files.jpeg(), MaterialFormat.jpeg, 1, Filing.pages),
        (files.png(), MaterialFormat.png, 1, Filing.pages),
        (files.tiff(3), MaterialFormat.tiff, 3, Filing.pages),
        (files.ofd(4), MaterialFormat.ofd, 4, Filing.attached),
        (files.mp3(), MaterialFormat.mp3, 0, Filing.separate),
        (files.wav(2.0), MaterialFormat.wav, 0, Filing.separate),
        (files.mp4(5), MaterialFormat.mp4, 0, Filing.separate),
        (files.mp4(5, video=False), MaterialFormat.m4a, 0, Filing.separate),
    ],
    ids=["scan-pdf", "text-pdf", "jpeg", "png", "tiff", "ofd", "mp3", "wav", "mp4", "m4a"],
)
def test_each_accepted_format_is_found_by_its_content(
    data: bytes, fmt: MaterialFormat, pages: int, filing: Filing
) -> None:
    found = probe(data)
    assert (found.format, found.pages, found.filing) == (fmt, pages, filing)


def test_audio_and_video_know_their_length() -> None:
    assert probe(files.wav(2.0)).duration == pytest.approx(2.0)
    assert probe(files.mp4(5)).duration == pytest.approx(5.0)
    assert probe(files.mp3(76)).duration == pytest.approx(2.0, abs=0.1)


@pytest.mark.parametrize(
    "data,problem",
    [
        (b"", "empty"),
        (b"just some text, named report.pdf", "unsupported_type"),
        (b"PK\x03\x04" + b"\x00" * 200, "unsupported_type"),  # a ZIP that is no OFD
        (files.truncated_pdf(), "pdf_truncated"),
        (files.encrypted_pdf(), "pdf_encrypted"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\ngarbage\n%%EOF\n", "pdf_broken"),
        (files.jpeg()[:3000], "image_broken"),
        (files.png()[:5000], "image_broken"),
        (files.mp4(3)[:-100], "media_broken"),
        (files.mp4(3)[:40], "media_broken"),
        (b"RIFF\x00\x00\x00\x00WAVEjunk", "media_broken"),
    ],
    ids=[
        "empty",
        "text",
        "zip",
        "truncated-pdf",
        "encrypted-pdf",
        "broken-pdf",
        "truncated-jpeg",
        "truncated-png",
        "truncated-mp4",
        "mp4-header-only",
        "broken-wav",
    ],
)
def test_what_is_not_an_accepted_material_is_refused_naming_the_problem(
    data: bytes, problem: str
) -> None:
    with pytest.raises(MaterialInvalid) as refused:
        probe(data)
    assert refused.value.problem == problem, str(refused.value)


def test_a_picture_renamed_pdf_is_still_a_picture() -> None:
    # the name and the declared type are not even seen: the content decides
    assert probe(files.png()).format is MaterialFormat.png
