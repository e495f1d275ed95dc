"""Verbatim as MCP tools, through a real MCP client (the mcp SDK) against a live server."""
from __future__ import annotations

import asyncio
import json

import pytest

from conftest import serve_app


@pytest.fixture(scope="module")
def mcp_server(tmp_path_factory, seed_index):
    # writable: uploads are still no tool
    demo, url, state = serve_app(tmp_path_factory.mktemp("mcp"), seed_index, {},
                                 mcp_server=True)
    yield {"url": url + "gradio_api/mcp/", "state": state}
    demo.close()


async def _session(url: str, headers: dict, fn):
    from mcp import ClientSession
    from mcp.client.streamable_http import streamablehttp_client

    async with streamablehttp_client(url, headers=headers) as (read, write, _):
        async with ClientSession(read, write) as session:
            await session.initialize()
            return await fn(session)


def test_mcp_lists_retrieve_and_answer_and_quotes_verbatim(mcp_server):
    headers = {}

    async def run(session):
        tools = await session.list_tools()
        result = await session.call_tool("answer", {
            "question": "How long is the reflection period for foreign victims?"})
        passages = await session.call_tool("retrieve", {"question": "reflection period",
                                                        "k": 2})
        return tools, result, passages

    tools, result, passages = asyncio.run(_session(mcp_server["url"], headers, run))
    hits = json.loads(passages.content[0].text)
    assert isinstance(hits, list) and len(hits) == 2 and all("text" in h for h in hits)
    names = {t.name for t in tools.tools}
    assert {"retrieve", "answer"} <= names and not any("add" in n for n in names)
    answer_tool = next(t for t in tools.tools if t.name == "answer")
    assert "verbatim" in answer_tool.description and "abstained" in answer_tool.description
    text = result.content[0].text
    # JSON, not the Python literal Gradio's MCP server writes by itself (single quotes, True).
    payload = json.loads(text)
    assert payload["abstained"] is False and '"abstained": false' in text
    quote = payload["quotes"][0]
    document = mcp_server["state"].current().document(quote["doc_id"])
    assert document.text[quote["start"]:quote["end"]] == quote["text"]
    assert "90 day reflection period" in quote["text"] and payload["abstained"] is False


def test_mcp_is_refused_beside_a_login(seed_corpus, seed_index):
    """Gradio serves its MCP endpoint outside the login: no MCP on a server with one."""
    import subprocess
    import sys

    from conftest import ROOT

    r = subprocess.run([sys.executable, "-m", "assistant", "--corpus", str(seed_corpus),
                        "--index", str(seed_index), "--mcp", "--auth", "u:p", "--port", "1"],
                       cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and "--mcp cannot be combined with a login" in r.stderr
