"""Work folders for evaluation datasets: a corpus folder holding the dataset as one file,
rewritten only when its content would change, so that the index built from it is reused."""
from __future__ import annotations

import shutil
from pathlib import Path


def work_dir(name: str, backend: str | None) -> Path:
    """The default work folder of a dataset: under the user cache, per backend."""
    from ..embedding import check_backend
    from ..onnx_export import cache_root

    return cache_root() / "eval" / f"{name}-{check_backend(backend)}"


def corpus_with(work: str | Path, name: str, content: bytes | Path) -> Path:
    """``work``/corpus/``name`` holding ``content`` (bytes, or a copy of a file: the loader
    skips links that point outside the corpus); the corpus folder."""
    corpus = Path(work) / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    dst = corpus / name
    tmp = corpus / f".{name}.part"
    if isinstance(content, Path):
        if not dst.is_file() or dst.stat().st_size != content.stat().st_size:
            shutil.copyfile(content, tmp)
            tmp.replace(dst)
    elif not dst.is_file() or dst.read_bytes() != content:
        tmp.write_bytes(content)
        tmp.replace(dst)
    return corpus
