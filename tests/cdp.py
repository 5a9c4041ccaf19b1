"""A headless Chromium driven over the DevTools protocol on a pipe (``--remote-debugging-pipe``: commands on
file descriptor 3, replies on 4, each message JSON ended by a NUL byte), for the browser tests.

No driver binary and no websocket library: Debian's ``chromium`` alone. Each page runs in its own target;
console errors and uncaught exceptions are collected as they arrive.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import time

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


class Browser:
    def __init__(self, chromium: str, profile, width: int = 1280, height: int = 900, log=subprocess.DEVNULL):
        commands_read, self._write = os.pipe()
        self._read, replies_write = os.pipe()

        def wire():  # in the child: the pipe ends where Chromium expects them, kept open across exec
            commands, replies = os.dup(commands_read), os.dup(replies_write)  # above 4: neither dup2 clobbers the other
            os.dup2(commands, 3)
            os.dup2(replies, 4)
            os.set_inheritable(3, True)  # dup2 onto the same number leaves close-on-exec set
            os.set_inheritable(4, True)

        self.process = subprocess.Popen([chromium, *FLAGS, "--remote-debugging-pipe", f"--user-data-dir={profile}",
                                         "about:blank"], preexec_fn=wire, close_fds=False,
                                        stdout=subprocess.DEVNULL, stderr=log)
        os.close(commands_read)
        os.close(replies_write)
        self._buffer, self._next, self.events, self.session = b"", 0, [], None
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.send(f"{domain}.enable")
        self.send("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=False)

    def send(self, method: str, timeout: float = 60, **params) -> dict:
        self._next += 1
        message = {"id": self._next, "method": method, "params": params}
        if self.session and not method.startswith("Target."):
            message["sessionId"] = self.session
        os.write(self._write, json.dumps(message).encode() + b"\0")
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            reply = self._message(end)
            if reply.get("id") == self._next:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)
        raise TimeoutError(method)

    def open(self, url: str, timeout: float = 60) -> None:
        """Load ``url`` afresh (through a blank page: a new fragment alone would not reload the document) and
        wait until it has loaded."""
        self.send("Page.navigate", url="about:blank")
        self.events.clear()
        self.send("Page.navigate", url=url)
        end = time.monotonic() + timeout
        while self.js("document.readyState + ' ' + location.href") != f"complete {url}":
            if time.monotonic() > end:
                raise TimeoutError(f"{url} did not load")
            time.sleep(0.05)

    def js(self, expression: str):
        """The value of a JavaScript expression in the page (a thrown error is an assertion error)."""
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise AssertionError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def errors(self) -> list:
        """Console errors, uncaught exceptions and failed loads seen since the page was opened."""
        out = []
        for e in self.events:
            method, params = e.get("method"), e.get("params", {})
            if method == "Runtime.exceptionThrown":
                out.append(params["exceptionDetails"].get("text", "exception"))
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                out.append(str(params.get("args")))
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                out.append(params["entry"].get("text", ""))
        return out

    def close(self) -> None:
        try:
            os.write(self._write, json.dumps({"id": 0, "method": "Browser.close"}).encode() + b"\0")
        except OSError:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        os.close(self._write)
        os.close(self._read)

    def _message(self, end: float) -> dict:
        while b"\0" not in self._buffer:
            if time.monotonic() > end or self.process.poll() is not None:
                raise TimeoutError("no reply from chromium")
            if not select.select([self._read], [], [], max(0.0, end - time.monotonic()))[0]:
                raise TimeoutError("no reply from chromium")
            chunk = os.read(self._read, 1 << 16)
            if not chunk:
                raise TimeoutError("chromium closed the pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)
