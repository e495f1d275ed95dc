"""Measuring answers and retrieval, outside the product's answering path: question files
(``questions``), BEIR retrieval (``beir``), SQuAD quote accuracy (``squad``), ranking metrics
(``metrics``) and dataset work folders (``workdir``). The command is ``python -m
assistant.evaluation`` (or ``python -m assistant.eval``)."""
