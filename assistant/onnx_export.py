"""Export a sentence-transformers model to ONNX (and int8) once, into a user cache folder.

Everything here runs locally from the model's own files: ``torch.onnx.export`` on the
transformer, ONNX Runtime's BERT graph optimiser when it keeps the outputs unchanged, and ONNX
Runtime's dynamic int8 quantisation. The result is keyed by the model's files and the versions of
the libraries that produced it, so an upgrade re-exports instead of reusing a stale graph.

This module imports torch; the ONNX embedder only imports it when the cache has no export yet.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid
import warnings
from importlib import metadata
from pathlib import Path

EXPORT_VERSION = 1  # bump when the exported graph or its settings change
PROBE_TEXTS = [
    "a",
    "Slovenia is a country of destination and transit for victims of trafficking.",
    "The National Action Plan 2023-2024 sets out measures on prevention, protection and "
    "prosecution, including training for labour inspectors and support for NGOs. " * 3,
]


def cache_root() -> Path:
    """``$VERBATIM_CACHE`` or the platform's user cache folder (``~/.cache/verbatim``)."""
    env = os.environ.get("VERBATIM_CACHE")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "verbatim"


def _version(pkg: str) -> str:
    try:
        return metadata.version(pkg)
    except metadata.PackageNotFoundError:
        return "-"


def cache_key(model_path: str | Path, quantized: bool) -> str:
    """Stable for the same model files and library versions; different otherwise."""
    h = hashlib.sha256()
    h.update(f"v{EXPORT_VERSION} int8={quantized}\n".encode())
    for pkg in ("torch", "transformers", "onnx", "onnxruntime", "tokenizers"):
        h.update(f"{pkg}={_version(pkg)}\n".encode())
    root = Path(model_path)
    for p in sorted(root.rglob("*")):
        if p.is_file() and p.suffix in {".json", ".safetensors", ".bin", ".txt", ".model"}:
            st = p.stat()
            h.update(f"{p.relative_to(root)} {st.st_size} {st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:20]


def read_pooling(model_path: str | Path) -> tuple[str, int]:
    """(pooling mode, max sequence length) as the sentence-transformers config says."""
    root = Path(model_path)
    mode, max_len = "mean", 256
    try:
        modules = json.loads((root / "modules.json").read_text())
    except (OSError, ValueError):
        modules = []
    for m in modules:
        if m.get("type", "").endswith("Pooling"):
            try:
                cfg = json.loads((root / m.get("path", "") / "config.json").read_text())
            except (OSError, ValueError):
                cfg = {}
            if cfg.get("pooling_mode_cls_token"):
                mode = "cls"
            elif cfg.get("pooling_mode_max_tokens"):
                mode = "max"
    try:
        max_len = int(json.loads((root / "sentence_bert_config.json").read_text())
                      .get("max_seq_length") or max_len)
    except (OSError, ValueError):
        pass
    return mode, max_len


def export(model_path: str | Path, quantized: bool) -> Path:
    """The cached folder holding ``model.onnx``, ``tokenizer.json`` and ``config.json``."""
    from filelock import FileLock

    root = cache_root() / "onnx"
    root.mkdir(parents=True, exist_ok=True)
    target = root / cache_key(model_path, quantized)
    if (target / "config.json").exists():
        return target
    with FileLock(str(root / f".{target.name}.lock")):
        if (target / "config.json").exists():  # another process finished it meanwhile
            return target
        source = export(model_path, False) if quantized else None  # int8 starts from fp32
        tmp = root / f".tmp-{target.name}-{uuid.uuid4().hex[:8]}"
        tmp.mkdir()
        try:
            if source is None:
                _export_into(Path(model_path), tmp)
            else:
                _quantize_into(source, tmp)
            os.replace(tmp, target)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return target


def _export_into(model_path: Path, out: Path) -> None:
    import numpy as np
    import torch
    import transformers
    from transformers import AutoModel, AutoTokenizer

    transformers.logging.disable_progress_bar()
    # Eager attention exports as plain MatMul/Softmax, which ORT's optimiser fuses; the SDPA
    # path exports masks that neither fuse nor run fast.
    model = AutoModel.from_pretrained(str(model_path), attn_implementation="eager").eval()
    tok = AutoTokenizer.from_pretrained(str(model_path), use_fast=True)
    tok.backend_tokenizer.save(str(out / "tokenizer.json"))
    pooling, max_len = read_pooling(model_path)
    max_len = min(max_len, int(getattr(model.config, "max_position_embeddings", max_len)))
    names = [n for n in ("input_ids", "attention_mask", "token_type_ids")
             if n in tok.model_input_names]

    class _Hidden(torch.nn.Module):
        def __init__(self, m):
            super().__init__()
            self.m = m

        def forward(self, *args):
            return self.m(**dict(zip(names, args))).last_hidden_state

    # An unpadded sample: the graph stays general (padding is checked on read-back below).
    sample = tok(["a sample text of eight words for tracing"] * 2, return_tensors="pt")
    axes = {n: {0: "batch", 1: "sequence"} for n in names + ["last_hidden_state"]}
    plain = out / "plain.onnx"
    enc = tok(PROBE_TEXTS, padding=True, truncation=True, max_length=max_len, return_tensors="pt")
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tracer warnings about Python branches, checked below
        # Before the export: the exporter leaves the module in training mode (dropout on).
        expected = model(**{n: enc[n] for n in names}).last_hidden_state.numpy()
        torch.onnx.export(_Hidden(model), tuple(sample[n] for n in names), str(plain),
                          input_names=names, output_names=["last_hidden_state"],
                          dynamic_axes=axes, opset_version=17, dynamo=False)
    feeds = {n: enc[n].numpy().astype(np.int64) for n in names}

    chosen = plain
    fused = out / "fused.onnx"
    if _optimise(plain, fused, model.config) and _close(fused, feeds, expected):
        chosen = fused
    elif not _close(plain, feeds, expected):
        raise RuntimeError("the ONNX export does not reproduce the model's outputs")
    os.replace(chosen, out / "model.onnx")
    for p in (plain, fused):
        p.unlink(missing_ok=True)
    (out / "config.json").write_text(json.dumps({
        "inputs": names, "pooling": pooling, "max_seq_length": max_len,
        "dimension": int(expected.shape[-1]), "quantized": False,
        "source": str(model_path), "export_version": EXPORT_VERSION,
    }, indent=2))


def _quantize_into(source: Path, out: Path) -> None:
    import logging

    from onnxruntime.quantization import QuantType, quantize_dynamic

    # Its "consider pre-processing" advice goes to the root logger: quieted for the call only
    # (left at ERROR, it had silenced every warning the process logged afterwards, the web
    # app's among them).
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)
    try:
        # Per-channel weight scales keep the embeddings close to fp32 (mean cosine ~0.995 vs
        # ~0.94 per-tensor); reduce_range is only needed on CPUs without VNNI (AVX-512 VNNI
        # has it).
        quantize_dynamic(str(source / "model.onnx"), str(out / "model.onnx"),
                         weight_type=QuantType.QInt8, per_channel=True, reduce_range=False,
                         extra_options={"DefaultTensorType": 1})  # FLOAT, for the fused ops
    finally:
        root.setLevel(level)
    shutil.copy(source / "tokenizer.json", out / "tokenizer.json")
    cfg = json.loads((source / "config.json").read_text())
    cfg["quantized"] = True
    (out / "config.json").write_text(json.dumps(cfg, indent=2))


def _optimise(src: Path, dst: Path, config) -> bool:
    try:
        from onnxruntime.transformers import optimizer

        m = optimizer.optimize_model(str(src), model_type="bert",
                                     num_heads=int(getattr(config, "num_attention_heads", 0)),
                                     hidden_size=int(getattr(config, "hidden_size", 0)),
                                     opt_level=1)
        m.save_model_to_file(str(dst))
        return True
    except Exception:  # an architecture the BERT optimiser does not know: keep the plain graph
        return False


def _close(path: Path, feeds: dict, expected, tol: float = 1e-3) -> bool:
    import numpy as np
    import onnxruntime as ort

    try:
        sess = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
        got = sess.run(None, feeds)[0]
    except Exception:
        return False
    mask = feeds["attention_mask"][..., None].astype(bool)
    return bool(np.allclose(np.where(mask, got, 0), np.where(mask, expected, 0), atol=tol))
