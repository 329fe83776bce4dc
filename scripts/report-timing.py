#!/usr/bin/env python3
"""How fast a `wikistamp report` page is usable in headless Chromium, through the DevTools
protocol (websocket-client from PyPI): first contentful paint, when the page's script has drawn
everything, and how long a text filter over every finding takes to show its first page.

    python3 scripts/report-timing.py wikistamp-report.html [filter text]
"""

import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request

import websocket


def main():
    page = os.path.abspath(sys.argv[1])
    query = sys.argv[2] if len(sys.argv) > 2 else "links to no note"
    with tempfile.TemporaryDirectory() as profile:
        chromium = subprocess.Popen(
            ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--remote-debugging-port=0", f"--user-data-dir={profile}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            port_file = os.path.join(profile, "DevToolsActivePort")
            for _ in range(300):
                if os.path.exists(port_file) and open(port_file).read().strip():
                    break
                time.sleep(0.05)
            port = open(port_file).read().split()[0]
            targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json"))
            ws_url = next(t for t in targets if t["type"] == "page")["webSocketDebuggerUrl"]
            ws = websocket.create_connection(ws_url, timeout=60)
            ids = iter(range(1, 1 << 30))

            def call(method, **params):
                i = next(ids)
                ws.send(json.dumps({"id": i, "method": method, "params": params}))
                while True:
                    msg = json.loads(ws.recv())
                    if msg.get("id") == i:
                        if "error" in msg:
                            raise RuntimeError(msg["error"])
                        return msg.get("result", {})

            def evaluate(expr):
                r = call("Runtime.evaluate", expression=expr, awaitPromise=True,
                         returnByValue=True)
                return r["result"].get("value")

            call("Page.enable")
            started = time.monotonic()
            call("Page.navigate", url="file://" + page)
            ready = evaluate("""new Promise((done) => {
                const check = () => document.body && document.body.dataset.ready === "1"
                    ? done(performance.now()) : setTimeout(check, 10);
                check();
            })""")
            wall = (time.monotonic() - started) * 1000
            fcp = evaluate("""new Promise((done) => {
                const get = () => {
                    const e = performance.getEntriesByName("first-contentful-paint")[0];
                    e ? done(e.startTime) : setTimeout(get, 10);
                };
                get();
            })""")
            filtered = evaluate("""new Promise((done) => {
                const t0 = performance.now();
                const box = document.getElementById("f-text");
                box.value = %s;
                box.dispatchEvent(new Event("input"));
                requestAnimationFrame(() => requestAnimationFrame(() =>
                    done([performance.now() - t0, document.getElementById("f-count").textContent])));
            })""" % json.dumps(query))
            print(f"size: {os.path.getsize(page) / 1e6:.1f} MB")
            print(f"first contentful paint: {fcp:.0f} ms")
            print(f"script done (all sections drawn): {ready:.0f} ms ({wall:.0f} ms wall from navigate)")
            print(f"filter {query!r}: {filtered[0]:.0f} ms to paint ({filtered[1]})")
            ws.close()
        finally:
            chromium.terminate()
            chromium.wait()


if __name__ == "__main__":
    main()
