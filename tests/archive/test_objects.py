"""The object store's vocabulary: metadata encoding and download names, without a store."""

from __future__ import annotations

import pytest

from archive.objects import (
    ObjectLocked,
    StorageError,
    content_disposition,
    decode_metadata,
    encode_metadata,
)


def test_metadata_round_trips_chinese_through_ascii_headers() -> None:
    headers = encode_metadata({"case-no": "中村约〔2026〕1号", "sha256": "ab" * 32})
    assert all(value.isascii() for value in headers.values())
    assert set(headers) == {"x-amz-meta-case-no", "x-amz-meta-sha256"}
    assert decode_metadata({**headers, "Content-Type": "application/pdf"}) == {
        "case-no": "中村约〔2026〕1号",
        "sha256": "ab" * 32,
    }


def test_decoding_ignores_header_case() -> None:
    assert decode_metadata({"X-Amz-Meta-Party": "%E7%94%B2"}) == {"party": "甲"}


@pytest.mark.parametrize("key", ["Case", "case_no", "-case", "案号", ""])
def test_metadata_keys_must_be_lower_case_ascii(key: str) -> None:
    with pytest.raises(ValueError, match="metadata key"):
        encode_metadata({key: "x"})


def test_content_disposition_names_the_file_in_utf8_with_an_ascii_fallback() -> None:
    header = content_disposition("中村约通〔2026〕1号.pdf")
    assert header.startswith('attachment; filename="')
    fallback = header.split('"')[1]
    assert fallback.isascii() and fallback.endswith(".pdf")
    assert "filename*=UTF-8''%E4%B8%AD" in header


def test_content_disposition_keeps_a_given_fallback() -> None:
    assert content_disposition("档案.pdf", "Z001-2026-D5-0001.pdf").startswith(
        'attachment; filename="Z001-2026-D5-0001.pdf"'
    )


def test_storage_errors_carry_the_s3_code() -> None:
    error = ObjectLocked("retention until 2032-01-01", code="AccessDenied")
    assert isinstance(error, StorageError) and error.code == "AccessDenied"
