"""Verbatim: answers questions about a set of documents only with verbatim quotes from them."""
import os as _os

# ONNX Runtime (1.32) queues usage events, with a device id, in
# ~/.cache/Microsoft/DeveloperTools/.onnxruntime/ unless told not to; the questions asked of
# case material leave no trace but the index's own files. Set before anything imports it; an
# operator who wants the events sets ORT_DISABLE_TELEMETRY=0.
_os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
from .api import Assistant, answer, build_index, retrieve
from .index import BuildError, BuildSettings, IndexLoadError
from .settings import Abstention, AnswerSettings, Fusion, NearWords, QuoteRules, Weights
from .types import Answer, BuildReport, Document, Hit, Passage, Quote, Section, SkippedFile

__all__ = ["Assistant", "answer", "build_index", "retrieve", "Answer", "BuildReport", "Document",
           "Hit", "Passage", "Quote", "Section", "SkippedFile", "BuildError", "IndexLoadError",
           "BuildSettings", "AnswerSettings", "Fusion", "Weights", "Abstention", "QuoteRules",
           "NearWords"]
__version__ = "0.1.0"
