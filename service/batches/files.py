"""A batch's ZIP: which files it holds (read in a transaction), then the files themselves
(read from the store with no transaction open)."""

from __future__ import annotations

import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from sqlalchemy.orm import Session

from archive.storage import ObjectStore
from service.batches import repository
from service.batches.models import Batch, BatchFormat, ItemStatus

SPOOL_IN_MEMORY = 32 * 1024 * 1024
CHUNK = 256 * 1024


@dataclass(frozen=True)
class Entry:
    """One file of the ZIP: its name there and its object key."""

    name: str
    key: str


def entries(session: Session, batch: Batch) -> list[Entry]:
    """Every file the batch produced so far, in item order (items that failed are absent)."""
    found = []
    for item, doc in repository.items_with_documents(session, batch.id):
        if doc is None or item.status != ItemStatus.done:
            continue
        stem = f"{item.position:04d}-{doc.template_code}-{doc.doc_no}"
        found.append(Entry(f"{stem}.docx", doc.storage_key))
        if batch.format == BatchFormat.pdf and doc.pdf_storage_key:
            found.append(Entry(f"{stem}.pdf", doc.pdf_storage_key))
    return found


def spool_zip(store: ObjectStore, files: list[Entry]) -> IO[bytes]:
    """The files read from ``store`` into a ZIP (in memory, on disk past 32 MiB), positioned
    at its start; call it with no transaction open."""
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115
    try:
        with zipfile.ZipFile(spool, "w", zipfile.ZIP_STORED) as z:
            for entry in files:
                z.writestr(entry.name, store.get(entry.key))
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return spool


def chunks(spool: IO[bytes]) -> Iterator[bytes]:
    """The spooled ZIP's bytes, closing the spool when done (or abandoned)."""
    with spool:
        while block := spool.read(CHUNK):
            yield block
