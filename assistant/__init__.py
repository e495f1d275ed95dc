"""Verbatim: answers questions about a set of documents only with verbatim quotes from them."""
from .api import Assistant, answer, build_index, retrieve
from .index import BuildError, BuildSettings, IndexLoadError
from .settings import Abstention, AnswerSettings, Fusion, NearWords, QuoteRules, Weights
from .types import Answer, BuildReport, Document, Hit, Passage, Quote, Section, SkippedFile

__all__ = ["Assistant", "answer", "build_index", "retrieve", "Answer", "BuildReport", "Document",
           "Hit", "Passage", "Quote", "Section", "SkippedFile", "BuildError", "IndexLoadError",
           "BuildSettings", "AnswerSettings", "Fusion", "Weights", "Abstention", "QuoteRules",
           "NearWords"]
__version__ = "0.1.0"
