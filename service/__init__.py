"""anjuan: documents and archives for administrative interviews."""

__version__ = "0.1.0"
