"""Drive a headless Chromium over the DevTools protocol on a pipe, with the standard library.

``--remote-debugging-pipe`` makes Chromium read JSON commands on file descriptor 3 and write
answers and events on 4, each message ended by a NUL byte. That is enough to load a page,
measure its elements, watch its network requests and take screenshots, without any package.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: Flags that keep a headless Chromium quiet: no sandbox (root in CI), no GPU, and none of
#: the background traffic (updates, sync, field trials) a browser makes on its own.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-domain-reliability",
    "--disable-breakpad",
    "--disable-features=MediaRouter,OptimizationHints,Translate",
    "--metrics-recording-only",
    "--hide-scrollbars",
    "--mute-audio",
    # Nothing may leave the machine: every host name fails to resolve.
    "--host-resolver-rules=MAP * ~NOTFOUND",
)


def find_chromium() -> str | None:
    """Return the path of a Chromium (or Chrome) binary on PATH, if any."""
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _above_ten(fd: int) -> int:
    """Return a duplicate of ``fd`` numbered 10 or more, closing ``fd``."""
    high = fcntl.fcntl(fd, fcntl.F_DUPFD, 10)
    os.close(fd)
    return high


class DevToolsError(RuntimeError):
    """Chromium answered a command with an error, or did not answer in time."""


class Browser:
    """One headless Chromium and one page in it, driven over the DevTools pipe."""

    def __init__(
        self, binary: str, profile: Path, net_log: Path, log: Path, timeout: float = 30.0
    ) -> None:
        self.timeout = timeout
        self.events: list[dict[str, Any]] = []
        self._next_id = 0
        self._buffer = b""
        commands_read, self._commands = os.pipe()
        self._answers, answers_write = os.pipe()
        # The child's ends move to 3 and 4; from 10 up, neither can be overwritten by the other.
        commands_read, answers_write = (_above_ten(fd) for fd in (commands_read, answers_write))
        # Chromium wants the pipe on descriptors 3 and 4; bash moves them there for it (dash
        # cannot name descriptors above 9).
        script = f'exec "$0" "$@" 3<&{commands_read} 4>&{answers_write}'
        self.process = subprocess.Popen(
            [
                "bash",
                "-c",
                script,
                binary,
                *FLAGS,
                f"--user-data-dir={profile}",
                f"--log-net-log={net_log}",
                "--remote-debugging-pipe",
                "about:blank",
            ],
            pass_fds=(commands_read, answers_write),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=log.open("wb"),
        )
        self.log = log
        os.close(commands_read)
        os.close(answers_write)
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        attached = self.send("Target.attachToTarget", targetId=target, flatten=True)
        self.session = attached["sessionId"]

    def send(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        """Send one command and return its result; events that arrive meanwhile are kept."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if session is not None:
            message["sessionId"] = session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read()
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise DevToolsError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def page(self, method: str, **params: Any) -> dict[str, Any]:
        """Send one command to the page."""
        return self.send(method, session=self.session, **params)

    def wait_for(self, method: str) -> dict[str, Any]:
        """Return the first event called ``method`` (already received or still to come)."""
        for event in self.events:
            if event.get("method") == method:
                self.events.remove(event)
                return event
        while True:
            event = self._read()
            if event.get("method") == method:
                return event
            self.events.append(event)

    def evaluate(self, expression: str) -> Any:
        """Return the value of a JavaScript expression in the page (the test's, not the page's)."""
        result = self.page("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise DevToolsError(f"evaluate: {result['exceptionDetails']}")
        return result["result"].get("value")

    def screenshot(self, path: Path, width: int, height: int) -> None:
        """Save a PNG of the page's top ``width`` × ``height`` CSS pixels."""
        self.page(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )
        shot = self.page(
            "Page.captureScreenshot",
            format="png",
            captureBeyondViewport=True,
            clip={"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
        )
        path.write_bytes(base64.b64decode(shot["data"]))

    def close(self) -> None:
        """Ask Chromium to quit, then make sure it has."""
        with suppress(DevToolsError, OSError):
            self.send("Browser.close")
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for fd in (self._commands, self._answers):
            with suppress(OSError):
                os.close(fd)

    def _read(self) -> dict[str, Any]:
        deadline = time.monotonic() + self.timeout
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self._answers], [], [], max(left, 0))
            if not ready:
                raise DevToolsError(f"no answer from Chromium within {self.timeout:g} s")
            chunk = os.read(self._answers, 1 << 20)
            if not chunk:
                tail = self.log.read_text(errors="replace")[-1500:]
                raise DevToolsError(f"Chromium closed the pipe; its log ends:\n{tail}")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)


@contextmanager
def browser(binary: str, workdir: Path) -> Iterator[Browser]:
    """Start a headless Chromium with its own profile and net log under ``workdir``."""
    chromium = Browser(
        binary, workdir / "profile", workdir / "net-log.json", workdir / "chromium.log"
    )
    try:
        yield chromium
    finally:
        chromium.close()


@dataclass(frozen=True)
class Request:
    """One URL request in Chromium's net log, and who started it."""

    url: str
    initiator: str  # the origin of the document that asked; "not an origin" for the browser

    @property
    def by_browser(self) -> bool:
        """True for Chromium's own background traffic (updates, clock), not a page's."""
        return self.initiator == "not an origin"

    @property
    def remote(self) -> bool:
        """True for a request that would go over the network."""
        return self.url.split(":", 1)[0].lower() not in ("file", "data", "about", "blob")


def net_log_requests(path: Path) -> list[Request]:
    """Return every URL request Chromium's net log records (``--log-net-log``)."""
    log = json.loads(path.read_text(encoding="utf-8"))
    start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    return [
        Request(event["params"]["url"], event["params"].get("initiator", ""))
        for event in log["events"]
        if event["type"] == start_job and "url" in event.get("params", {})
    ]
