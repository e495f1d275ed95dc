"""The index folder: its format (``format``), reading it (``reader``), building it
(``builder``, with the incremental ``plan`` and the ``vectors`` files), the approximate search
index of large collections (``ann``), and whether it still matches its corpus
(``staleness``)."""
from .ann import ANN_THRESHOLD
from .builder import BuildSettings, build, check_index_target
from .format import (FORMAT_VERSION, REUSABLE_FORMATS, BuildError, BuildLocked, IndexLoadError,
                     check_not_newer, embed_text, is_index_folder, read_manifest)
from .reader import Index, load
from .staleness import is_stale

__all__ = ["ANN_THRESHOLD", "BuildSettings", "build", "check_index_target", "FORMAT_VERSION",
           "REUSABLE_FORMATS",
           "BuildError", "BuildLocked", "IndexLoadError", "check_not_newer", "embed_text", "is_index_folder",
           "read_manifest", "Index", "load", "is_stale"]
