"""What a client can and cannot make a dashboard's kernel do, and what happens to kernels of closed tabs."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from pathlib import Path

from .conftest import (
    goto_live,
    kernel_gone,
    kernel_id_of,
    open_page,
    render_url,
    served_notebooks,
    start_voila,
    stop_process_group,
    wait_for_dashboard,
)

SEND_OVER_KERNEL_WEBSOCKET = """
async ([channelsUrl, code]) => {
  const ws = new WebSocket(`${channelsUrl}${channelsUrl.includes('?') ? '&' : '?'}session_id=probe${Date.now()}`);
  await new Promise((resolve, reject) => { ws.onopen = resolve; ws.onerror = reject; });
  const seen = [];
  ws.onmessage = event => {
    try { const m = JSON.parse(event.data); seen.push(m.msg_type || m.header.msg_type); } catch (e) { seen.push('binary'); }
  };
  const message = (type, content) => ({
    header: {msg_id: 'probe-' + Math.random().toString(16).slice(2), username: 'probe', session: 'probe',
             msg_type: type, version: '5.3', date: new Date().toISOString()},
    parent_header: {}, metadata: {}, content, channel: 'shell', buffers: []});
  ws.send(JSON.stringify(message('execute_request', {code, silent: false, store_history: false,
    user_expressions: {}, allow_stdin: false, stop_on_error: true})));
  // The kernel answers shell requests in order: once this reply is back, an execute would have run.
  ws.send(JSON.stringify(message('kernel_info_request', {})));
  const deadline = Date.now() + 20000;
  while (!seen.includes('kernel_info_reply') && Date.now() < deadline) {
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  await new Promise(resolve => setTimeout(resolve, 1000));
  ws.close();
  return seen;
}
"""


def test_execute_request_over_the_kernel_websocket_runs_nothing(browser, tmp_path) -> None:
    # No shipped page keeps its kernel once sent (test_a_crafted_websocket_to_a_released_kernel_gets_nothing), so the
    # probe targets a page with a widget, which does: a researcher's own notebook served with the same configuration.
    marker = tmp_path / "written_by_execute_request.txt"
    code = f"open({str(marker)!r}, 'w').write('executed')"
    server = start_voila(tmp_path, folder=Path(__file__).parent / "fixtures")
    page = open_page(browser)
    try:
        goto_live(page, render_url(server, "01-fixture.ipynb"))
        wait_for_dashboard(page)
        channels = f"ws://127.0.0.1:{server.url.rsplit(':', 1)[1].strip('/')}/api/kernels/{kernel_id_of(page)}/channels"
        seen = page.evaluate(SEND_OVER_KERNEL_WEBSOCKET, [channels, code])
    finally:
        page.context.close()
        stop_process_group(server.process)
    assert "kernel_info_reply" in seen, f"the kernel websocket did not answer at all: {seen}"
    assert "execute_input" not in seen and "execute_reply" not in seen, seen
    assert not marker.exists(), "an execute_request sent by a client ran code in the dashboard's kernel"
    # test_jupyterlab.py sends the same probe to a JupyterLab kernel, where it must write the file.


def _kernel_status(server_url: str, kernel_id: str) -> int:
    try:
        with urllib.request.urlopen(f"{server_url}api/kernels/{kernel_id}", timeout=5) as response:
            json.load(response)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_kernel_of_a_closed_tab_is_culled_when_idle(browser, tmp_path) -> None:
    # The repository config culls after 10 idle minutes; the same mechanism with seconds here.
    fixtures = Path(__file__).parent / "fixtures"  # a small notebook: the culling, not the notebook, is tested
    server = start_voila(
        tmp_path,
        folder=fixtures,
        extra_args=[
            "--VoilaConfiguration.preheat_kernel=False",
            "--MappingKernelManager.cull_idle_timeout=3",
            "--MappingKernelManager.cull_interval=1",
        ],
    )
    try:
        page = open_page(browser)
        page.goto(render_url(server, "01-fixture.ipynb"))
        wait_for_dashboard(page)
        kernel_id = kernel_id_of(page)
        assert _kernel_status(server.url, kernel_id) == 200
        page.context.close()
        assert _kernel_status(server.url, kernel_id) == 200, "closing the tab alone is not expected to stop it"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and _kernel_status(server.url, kernel_id) == 200:
            time.sleep(0.5)
        assert _kernel_status(server.url, kernel_id) == 404, "the idle kernel of a closed tab was not culled"
    finally:
        stop_process_group(server.process)


def _crafted_websocket(url: str) -> tuple[int | None, list[str]]:
    """Open a websocket at ``url`` and send a crafted comm_open and comm_msg; return the refusal's status (None when
    it opened) and whatever came back."""
    import asyncio
    import threading

    from tornado.httpclient import HTTPClientError
    from tornado.websocket import websocket_connect

    result: list = [None, []]

    async def probe() -> None:
        try:
            connection = await websocket_connect(url, connect_timeout=20)
        except HTTPClientError as error:
            result[0] = error.code
            result[1].append(error.response.body.decode("utf-8", "replace") if error.response else "")
            return
        for msg_type, content in (("comm_open", {"comm_id": "x", "target_name": "nothing"}), ("comm_msg", {})):
            header = {
                "msg_id": msg_type,
                "username": "probe",
                "session": "probe",
                "msg_type": msg_type,
                "version": "5.3",
            }
            await connection.write_message(
                json.dumps(
                    {"header": header, "parent_header": {}, "metadata": {}, "content": content, "channel": "shell"}
                )
            )
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            message = await asyncio.wait_for(connection.read_message(), timeout=5)
            if message is None:
                break
            result[1].append(str(message))
        connection.close()

    thread = threading.Thread(target=lambda: asyncio.run(probe()))  # Playwright keeps the main thread's event loop
    thread.start()
    thread.join(timeout=60)
    return result[0], result[1]


def test_a_crafted_websocket_to_a_released_kernel_gets_nothing(voila_server) -> None:
    """A section page's kernel is stopped once the page is sent: its websocket and API answer 404, no traceback."""
    section = next((n for n in served_notebooks() if n.startswith("07-")), served_notebooks()[0])
    deadline = time.monotonic() + 120
    while True:
        with urllib.request.urlopen(render_url(voila_server, section), timeout=120) as response:
            fallback, body = response.headers.get("X-Adass-Fallback"), response.read().decode("utf-8")
        if not fallback:
            break
        assert time.monotonic() < deadline, "the section's live page never came"
        time.sleep(1)
    kernel_id = json.loads(body.split('id="jupyter-config-data" type="application/json">', 1)[1].split("</script>")[0])[
        "kernelId"
    ]
    assert kernel_gone(kernel_id), "the released kernel still runs"
    port = voila_server.url.rsplit(":", 1)[1].strip("/")
    status, answers = _crafted_websocket(f"ws://127.0.0.1:{port}/api/kernels/{kernel_id}/channels?session_id=probe")
    # refused (the server answers 404, which tornado's client reports as its 599), never opened
    assert status is not None and status >= 400, (status, answers)
    assert _kernel_status(voila_server.url, kernel_id) == 404
    assert not any("Traceback" in answer or "/site-packages/" in answer for answer in answers), answers
