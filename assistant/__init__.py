"""Verbatim: answers questions about a set of documents only with verbatim quotes from them."""
from .api import Assistant, answer, build_index, retrieve
from .index import BuildError, IndexLoadError
from .types import Answer, BuildReport, Document, Hit, Passage, Quote, Section, SkippedFile

__all__ = ["Assistant", "answer", "build_index", "retrieve", "Answer", "BuildReport", "Document",
           "Hit", "Passage", "Quote", "Section", "SkippedFile", "BuildError", "IndexLoadError"]
__version__ = "0.1.0"
