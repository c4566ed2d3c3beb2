"""Real engines for tests: headless Chromium over the DevTools protocol, and an HTML reader
that lists what a browser (or Anki's web view) would run or load.

The browser is driven on ``--remote-debugging-pipe`` with the standard library only. Without
Chromium the ``browser`` fixture skips, except when ``CI`` is set: there a missing browser fails
the run (the ``browser`` and ``tab`` fixtures are in ``conftest.py``).
"""

from __future__ import annotations

import base64
import html.parser
import json
import os
import re
import select
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

#: Paper sizes in inches.
PAPERS = {"A4": (210 / 25.4, 297 / 25.4), "Letter": (8.5, 11.0)}


# --- what would run ------------------------------------------------------------------------------


class _Html(html.parser.HTMLParser):
    """Collects tags, attributes and the text shown outside code."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.prose: list[str] = []
        self.text: list[str] = []
        self._code = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        if tag in ("pre", "code"):
            self._code += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("pre", "code") and self._code:
            self._code -= 1

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if not self._code:
            self.prose.append(data)


def parse_html(markup: str) -> _Html:
    parser = _Html()
    parser.feed(markup)
    parser.close()
    return parser


_ACTIVE_TAGS = {"script", "style", "iframe", "object", "embed", "svg", "math", "form", "base"}


def live_html(markup: str) -> list[str]:
    """Everything in ``markup`` that a browser would run or load as active content."""
    found = []
    for tag, attrs in parse_html(markup).tags:
        if tag in _ACTIVE_TAGS:
            found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                found.append(f"<{tag} {name}>")
            if value and re.match(r"\s*(javascript|vbscript|data):", value, re.I):
                found.append(f"<{tag} {name}={value}>")
    return found


# --- headless Chromium ---------------------------------------------------------------------------

#: How Chromium runs here (tests and scripts/screenshots.py): headless, as root, on a machine with
#: no network beyond loopback (the background services would only try to connect).
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)


class Browser:
    """Headless Chromium driven over the DevTools protocol on a pipe (fds 3 and 4)."""

    def __init__(self, executable: str) -> None:
        self._profile = tempfile.TemporaryDirectory(prefix="dockerqa-chromium-")
        cmd_read, self._cmd_write = os.pipe()
        self._reply_read, reply_write = os.pipe()

        def to_fds_3_and_4() -> None:  # runs in the child, before exec
            a, b = os.dup(cmd_read), os.dup(reply_write)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.proc = subprocess.Popen(
            [
                executable,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={self._profile.name}",
                "--remote-debugging-pipe",
                "about:blank",
            ],
            preexec_fn=to_fds_3_and_4,
            close_fds=False,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(cmd_read)
        os.close(reply_write)
        self._buffer = b""
        self._next_id = 0
        self._events: list[dict[str, Any]] = []

    def _receive(self, timeout: float = 60) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            ready, _, _ = select.select([self._reply_read], [], [], timeout)
            chunk = os.read(self._reply_read, 1 << 20) if ready else b""
            if not chunk:
                raise RuntimeError("Chromium did not answer (closed or timed out)")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        result: dict[str, Any] = json.loads(message)
        return result

    def send(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._cmd_write, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._receive()
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply["result"]
                return result
            self._events.append(reply)

    def wait_for(self, event: str, session: str) -> dict[str, Any]:
        while True:
            for i, m in enumerate(self._events):
                if m.get("method") == event and m.get("sessionId") == session:
                    return self._events.pop(i)
            self._events.append(self._receive())

    def events(self, session: str) -> list[dict[str, Any]]:
        """Take the events received so far for one page."""
        mine = [m for m in self._events if m.get("sessionId") == session]
        self._events = [m for m in self._events if m.get("sessionId") != session]
        return mine

    def new_page(self) -> Tab:
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        session = self.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        return Tab(self, target, session)

    def close(self) -> None:
        try:
            self.send("Browser.close")
            self.proc.wait(timeout=30)
        except (RuntimeError, OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()
        os.close(self._cmd_write)
        os.close(self._reply_read)
        self._profile.cleanup()


class Tab:
    """One page (DevTools target) of the browser."""

    def __init__(self, browser: Browser, target: str, session: str) -> None:
        self.browser, self.target, self.session = browser, target, session
        self.send("Page.enable")
        self.send("Network.enable")

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        return self.browser.send(method, self.session, **params)

    def open(self, path: Path) -> list[dict[str, Any]]:
        """Load a file and return the network events seen while loading it."""
        self.browser.events(self.session)
        self.send("Page.navigate", url=path.resolve().as_uri())
        self.browser.wait_for("Page.loadEventFired", self.session)
        self.evaluate("1")  # let events queued behind the load event arrive
        return [m for m in self.browser.events(self.session) if m["method"].startswith("Network.")]

    def evaluate(self, expression: str) -> Any:
        reply = self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in reply:
            raise RuntimeError(reply["exceptionDetails"])
        return reply["result"].get("value")

    def pdf(self, paper: str) -> bytes:
        width, height = PAPERS[paper]
        data = self.send("Page.printToPDF", paperWidth=width, paperHeight=height)["data"]
        return base64.b64decode(data)

    def close(self) -> None:
        self.browser.send("Target.closeTarget", targetId=self.target)


def find_chromium(explicit: str | None = None) -> str | None:
    """The Chromium to run: ``explicit``, ``$DOCKERQA_CHROMIUM``, or one on the PATH."""
    explicit = explicit or os.environ.get("DOCKERQA_CHROMIUM")
    if explicit:
        return shutil.which(explicit) or explicit
    return next((p for name in ("chromium", "chromium-browser") if (p := shutil.which(name))), None)
