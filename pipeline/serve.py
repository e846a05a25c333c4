"""``pipeline serve``: a live preview of the web archive and the newsletter for editors.

The preview builds with the same ``build()`` as ``pipeline build``, into a temporary folder
(never the output folder), and serves that folder's ``site/`` on 127.0.0.1. A watcher
rebuilds on every change to the articles, the templates or the config file, and every open
tab reloads itself through a small script the server adds to HTML responses (never to built
files): it listens on ``/_events`` (server-sent events) for a new build number.

A build that fails does not stop the server: the last good build keeps being served, and
every HTML page carries an overlay with the findings (also printed in the terminal), which
disappears by itself when a fix builds. Before any build succeeded, every page is the error.

URLs are decoded once and refused if any segment is ``..`` (or holds a backslash or NUL); the
resolved file must also lie inside the served folder, so no URL reaches a file outside it.
"""

from __future__ import annotations

import contextlib
import errno
import html
import mimetypes
import re
import shutil
import signal
import socket
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote, urlsplit

import click

from pipeline.config import Config
from pipeline.errors import ContentError, PipelineError, UsageError
from pipeline.findings import Finding

if TYPE_CHECKING:
    from pipeline.cache import Store

EVENTS_PATH = "/_events"
EMAIL_PATH = "/_email/"
KEEPALIVE_SECONDS = 15.0
WATCH_TICK_MS = 200  # how often the config file and the set of watched folders are re-read
_BODY_END = re.compile(rb"</body\s*>", re.IGNORECASE)

# The build a page shows is "<session>.<number>": a tab left open from an earlier session
# reloads too when the preview restarts, though the new session counts from 1 again.
RELOAD_SCRIPT = """<script data-pipeline-preview>
(() => {
  const shown = "%s";
  const events = new EventSource("%s");
  events.onmessage = (event) => { if (event.data !== shown) location.reload(); };
})();
</script>
"""


@dataclass(frozen=True)
class Problem:
    """Why the latest build failed, for the terminal and the browser."""

    message: str
    findings: list[Finding] = field(default_factory=list)
    details: str = ""

    def lines(self) -> list[str]:
        return [item.format() for item in self.findings] + [self.message]


def problem_html(problem: Problem, *, overlay: bool) -> str:
    """The findings as an HTML panel; as an overlay it covers the last good page until hidden."""
    rows = "".join(
        f'<li style="margin:.5rem 0"><code style="font:13px/1.4 ui-monospace,monospace;'
        f'color:#7a1212">{html.escape(f"{item.path}:{item.line}:{item.col}")}</code> '
        f"<strong>{html.escape(str(item.severity))}</strong> "
        f"<code>{html.escape(item.rule)}</code> {html.escape(item.message)}</li>"
        for item in problem.findings)
    details = (f'<pre style="white-space:pre-wrap;font:12px/1.4 ui-monospace,monospace">'
               f"{html.escape(problem.details)}</pre>" if problem.details else "")
    hide = ('<button type="button" onclick="this.closest(\'[data-pipeline-error]\').remove()" '
            'style="font:inherit;padding:.4rem .9rem;margin-top:.5rem">Hide and show the last '
            "good build</button>" if overlay else "")
    note = ("The preview shows the last good build until this is fixed; the page reloads by "
            "itself when it is." if overlay else
            "Nothing has built yet; this page reloads by itself when the problem is fixed.")
    position = "position:fixed;inset:0;z-index:2147483647;" if overlay else ""
    return (
        f'<div data-pipeline-error role="alert" style="{position}overflow:auto;'
        'background:rgba(30,10,10,.78);padding:1rem;box-sizing:border-box;min-height:100vh">'
        '<div style="max-width:56rem;margin:1rem auto;background:#fff;color:#1b1b1b;'
        'border-top:6px solid #b11d1d;border-radius:6px;padding:1.25rem 1.5rem;'
        'font:16px/1.5 system-ui,sans-serif;overflow-wrap:anywhere">'
        '<p style="margin:0 0 .5rem;font-size:1.3rem;font-weight:700;color:#8c1515">'
        "Build failed</p>"
        + (f'<ul style="padding-left:1.2rem">{rows}</ul>' if rows else "")
        + f'<p style="margin:.25rem 0;white-space:pre-wrap">{html.escape(problem.message)}</p>'
        f"{details}"
        f'<p style="margin:.75rem 0 0;color:#444">{note}</p>{hide}</div></div>')


def error_document(problem: Problem) -> str:
    return ('<!doctype html><html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            "<title>Build failed · pipeline serve</title></head>"
            f'<body style="margin:0">{problem_html(problem, overlay=False)}</body></html>')


def inject(page: bytes, addition: str) -> bytes:
    """Add markup just before the last </body>, or at the end of a page without one."""
    matches = list(_BODY_END.finditer(page))
    at = matches[-1].start() if matches else len(page)
    return page[:at] + addition.encode("utf-8") + page[at:]


def safe_parts(url_path: str) -> list[str] | None:
    """The path segments of a URL path, decoded once; None if any could escape the folder."""
    decoded = unquote(url_path, errors="strict") if "%" in url_path else url_path
    if "\x00" in decoded or "\\" in decoded:
        return None
    parts = decoded.split("/")
    if any(part == ".." for part in parts):
        return None
    return [part for part in parts if part not in ("", ".")]


class Preview:
    """One preview: a temporary build folder, its latest outcome, and change notification."""

    def __init__(self, articles_dir: Path, templates_dir: Path, config_path: Path,
                 load_config: Callable[[], Config], echo: Callable[[str], None] = click.echo,
                 ) -> None:
        self.articles_dir = articles_dir
        self.templates_dir = templates_dir
        self.config_path = config_path
        self.editions_dir: Path | None = None  # known once the config is read
        self.load_config = load_config
        self.echo = echo
        self.workdir = Path(tempfile.mkdtemp(prefix="pipeline-serve-"))
        self.output = self.workdir / "output"
        self.base_path = "/"
        self.session = format(time.time_ns(), "x")  # tells this preview's builds from others'
        self.version = 0
        self.problem: Problem | None = None
        self.built = False
        self.cache: Store | None = None  # made on the first build, kept while serving
        self.changed = threading.Condition()
        self.stopping = threading.Event()
        self.listening = threading.Event()  # the watcher has built once since it listens

    # -- building -----------------------------------------------------------------------
    def rebuild(self) -> None:
        from pipeline.build import build
        from pipeline.cache import Store
        from pipeline.editions import editions_folder

        started = time.perf_counter()
        problem = None
        try:
            config = self.load_config()
            self.base_path = urlsplit(config.site.url).path.rstrip("/") + "/"
            self.editions_dir = editions_folder(self.config_path, config.newsletter.editions)
            self.cache = self.cache or Store.in_memory()
            result = build(self.articles_dir, self.output, config, cache=self.cache,
                           templates_dir=self.templates_dir, editions_dir=self.editions_dir)
        except ContentError as exc:
            # build()'s own message speaks of writing the output, which the preview never does
            message = "Fix these errors; the preview rebuilds when you save." \
                if exc.findings else exc.format_message()
            problem = Problem(message, list(exc.findings))
        except PipelineError as exc:
            problem = Problem(exc.format_message())
        except Exception as exc:  # a bug of ours must not stop the preview either
            problem = Problem(f"Internal error: {type(exc).__name__}: {exc}",
                              details=traceback.format_exc())
        if problem is None and result.up_to_date and self.built and self.problem is None:
            # Nothing changed (the watcher's first build after the one made before it
            # listened, or a save that left the bytes alone): the open tabs keep their page
            # instead of reloading.
            return
        if problem is None:
            for item in result.findings:
                self.echo(item.format())
            self.echo(f"Built {len(result.published)} article(s) in "
                      f"{time.perf_counter() - started:.2f} s")
        else:
            for line in problem.lines():
                self.echo(line)
            self.echo("Build failed; " + ("still serving the last good build." if self.built
                                          else "the browser shows the errors."))
        with self.changed:
            self.built = self.built or problem is None
            self.problem = problem
            self.version += 1
            self.changed.notify_all()

    # -- watching -----------------------------------------------------------------------
    def watch_roots(self) -> list[Path]:
        return [path for path in (self.articles_dir, self.templates_dir, self.editions_dir)
                if path is not None and path.is_dir()]

    def config_signature(self) -> tuple[int, int, int] | None:
        # Polled rather than watched: editors that save by renaming would break a file watch.
        try:
            info = self.config_path.stat()
        except OSError:
            return None
        return info.st_mtime_ns, info.st_size, info.st_ino

    def watch(self) -> None:
        """Build, then rebuild on every change until stopped.

        Each build starts only once the watcher is listening (its first yield), so no edit
        made during a build is missed; the watcher restarts when a watched folder appears.
        """
        import watchfiles

        while not self.stopping.is_set():
            roots, signature = self.watch_roots(), self.config_signature()
            if not roots:  # the articles folder went away: wait for it to come back
                self.listening.set()
                self.stopping.wait(WATCH_TICK_MS / 1000)
                continue
            listening = False
            for changes in watchfiles.watch(
                    *roots, debounce=50, step=10, rust_timeout=WATCH_TICK_MS,
                    yield_on_timeout=True, stop_event=self.stopping, raise_interrupt=False):
                new_roots, new_signature = self.watch_roots(), self.config_signature()
                names = sorted({self._display(path) for _, path in changes})
                if new_signature != signature:
                    names.append(str(self.config_path))
                if names:
                    self.echo(f"Changed: {', '.join(names)}; rebuilding")
                if names or not listening or new_roots != roots:
                    self.rebuild()
                    listening, signature = True, new_signature
                    self.listening.set()
                if new_roots != roots:
                    break

    def watch_or_report(self) -> None:
        try:
            self.watch()
        except Exception as exc:  # e.g. the system's limit on watched folders
            self.echo(f"Watching for changes failed ({type(exc).__name__}: {exc}); the "
                      "preview keeps serving but no longer rebuilds: restart it.")
            self.rebuild()
        finally:
            self.listening.set()

    def _display(self, path: str) -> str:
        with contextlib.suppress(ValueError):
            return str(Path(path).relative_to(Path.cwd()))
        return path

    def wait_for_change(self, seen: int | None, timeout: float) -> int:
        with self.changed:
            self.changed.wait_for(lambda: self.version != seen or self.stopping.is_set(),
                                  timeout=timeout)
            return self.version

    def build_id(self, version: int) -> str:
        return f"{self.session}.{version}"

    def stop(self) -> None:
        """Tell the watcher and every open event stream to finish."""
        self.stopping.set()
        with self.changed:
            self.changed.notify_all()

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # an open event stream must not keep the process alive
    preview: Preview


class Handler(BaseHTTPRequestHandler):
    server: _Server
    server_version = "pipeline-serve"

    def log_message(self, format: str, *args: object) -> None:
        pass  # the terminal is for build results; a request log would drown them

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    # -- routing ------------------------------------------------------------------------
    def _respond(self, *, send_body: bool) -> None:
        preview = self.server.preview
        url = urlsplit(self.path)
        try:
            parts = safe_parts(url.path)
        except UnicodeDecodeError:
            parts = None
        if parts is None or not url.path.startswith("/"):
            self._send(HTTPStatus.BAD_REQUEST, b"Bad request: this path is not allowed.\n",
                       "text/plain; charset=utf-8", send_body)
            return
        if url.path == EVENTS_PATH:
            self._events(send_body)
            return
        if parts[:1] == ["_email"]:
            self._email(parts[1:], url.path, send_body)
            return
        base = [part for part in preview.base_path.split("/") if part]
        if parts[:len(base)] != base:
            if not parts:
                self._redirect(preview.base_path)
            else:
                self._not_found(send_body)
            return
        self._site_file(parts, len(base), url.query, send_body)

    def _site_file(self, parts: list[str], skip: int, query: str, send_body: bool) -> None:
        """Serve parts[skip:] from site/; ``parts`` is the whole path, for redirects."""
        preview = self.server.preview
        if not preview.built:
            self._page(HTTPStatus.INTERNAL_SERVER_ERROR, b"", send_body)
            return
        root = (preview.output / "site").resolve()
        target = root.joinpath(*parts[skip:])
        with contextlib.suppress(OSError):
            target = target.resolve()
        if not target.is_relative_to(root):
            self._not_found(send_body)
            return
        if target.is_dir():
            if not self.path.split("?", 1)[0].endswith("/"):
                # Relative links need the folder's trailing slash. The location is rebuilt
                # from the checked segments, so it can only point into this server.
                location = "/" + "".join(f"{quote(part)}/" for part in parts)
                self._redirect(location + (f"?{query}" if query else ""))
                return
            target = target / "index.html"
        try:
            data = target.read_bytes()
        except OSError:
            self._not_found(send_body)
            return
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if kind == "text/html":
            self._page(HTTPStatus.OK, data, send_body)
        else:
            if kind.startswith("text/") or kind in ("application/xml", "application/json"):
                kind += "; charset=utf-8"
            self._send(HTTPStatus.OK, data, kind, send_body)

    def _email(self, rest: list[str], url_path: str, send_body: bool) -> None:
        from pipeline.render import email

        preview = self.server.preview
        if url_path == "/_email":
            self._redirect(EMAIL_PATH)
            return
        names = {(): email.HTML_PATH, ("newsletter.txt",): email.TEXT_PATH}
        relative = names.get(tuple(rest))
        if relative is None:
            self._not_found(send_body)
            return
        try:
            data = (preview.output / relative).read_bytes()
        except OSError:
            data = None
        if relative == email.TEXT_PATH and data is not None:
            self._send(HTTPStatus.OK, data, "text/plain; charset=utf-8", send_body)
        elif data is None and preview.built:
            self._page(HTTPStatus.NOT_FOUND, (
                b'<!doctype html><html lang="en"><head><meta charset="utf-8">'
                b"<title>No newsletter</title></head><body><h1>No newsletter</h1>"
                b"<p>The newsletter holds the published articles that are new since the last "
                b"sent edition, and there are none yet.</p></body></html>"), send_body)
        else:
            self._page(HTTPStatus.OK, data or b"", send_body)

    def _not_found(self, send_body: bool) -> None:
        preview = self.server.preview
        if urlsplit(self.path).path == "/favicon.ico":  # asked for by pages that name no icon
            self._send(HTTPStatus.NO_CONTENT, b"", "image/x-icon", send_body=False)
            return
        try:
            page = (preview.output / "site" / "404.html").read_bytes()
        except OSError:
            page = b"<!doctype html><title>Not found</title><h1>Not found</h1>"
        self._page(HTTPStatus.NOT_FOUND, page, send_body)

    # -- responses ----------------------------------------------------------------------
    def _page(self, status: HTTPStatus, page: bytes, send_body: bool) -> None:
        """An HTML page with the reload script, and the build's errors if it failed."""
        preview = self.server.preview
        with preview.changed:
            version, problem, built = preview.version, preview.problem, preview.built
        if not built:
            page = error_document(problem or Problem("Building…")).encode("utf-8")
            status = HTTPStatus.INTERNAL_SERVER_ERROR
        elif problem is not None:
            page = inject(page, problem_html(problem, overlay=True))
        page = inject(page, RELOAD_SCRIPT % (preview.build_id(version), EVENTS_PATH))
        self._send(status, page, "text/html; charset=utf-8", send_body)

    def _send(self, status: HTTPStatus, data: bytes, kind: str, send_body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if send_body:
            self.wfile.write(data)

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.MOVED_PERMANENTLY)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _events(self, send_body: bool) -> None:
        """Server-sent events: the current build's id now, then each new one."""
        preview = self.server.preview
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not send_body:
            return
        seen: int | None = None
        try:
            self.wfile.write(b"retry: 500\n\n")
            while not preview.stopping.is_set():
                version = preview.wait_for_change(seen, KEEPALIVE_SECONDS)
                if preview.stopping.is_set():
                    break
                message = (f"data: {preview.build_id(version)}\n\n" if version != seen
                           else ": keep-alive\n\n")
                self.wfile.write(message.encode("ascii"))
                self.wfile.flush()
                seen = version
        except (BrokenPipeError, ConnectionResetError):
            return


def make_server(preview: Preview, host: str, port: int) -> _Server:
    server_class = _Server
    if ":" in host:  # an IPv6 address such as ::1
        server_class = type("_Server6", (_Server,), {"address_family": socket.AF_INET6})
    try:
        server = server_class((host, port), Handler)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(f"port {port} on {host} is already in use; choose another with "
                             "--port (or --port 0 for any free port)") from None
        raise UsageError(f"cannot serve on {host}:{port}: {exc.strerror}") from None
    server.preview = preview
    return server


@contextlib.contextmanager
def running(preview: Preview, host: str, port: int) -> Iterator[_Server]:
    """Watch and build, then serve, in background threads until the block ends."""
    server = make_server(preview, host, port)
    watcher = threading.Thread(target=preview.watch_or_report, name="watch", daemon=True)
    serving = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                               name="serve", daemon=True)
    try:
        # The first build runs before any thread starts, so that it may spread over every
        # core (a process running threads never forks: see pipeline.workers); the watcher
        # builds again once it listens, which catches an edit made meanwhile and otherwise
        # reuses it all.
        preview.rebuild()
        watcher.start()
        # Serve once the watcher listens, so that no change made from now on is missed.
        preview.listening.wait(timeout=120)
        serving.start()
        yield server
    finally:  # also after Ctrl-C during the first build: the temporary build goes too
        preview.stop()
        if serving.is_alive():
            server.shutdown()  # waits for serve_forever, so only once it runs
        server.server_close()
        if watcher.is_alive():
            watcher.join(timeout=30)
        preview.close()


def serve(articles_dir: Path, templates_dir: Path, config_path: Path,
          load_config: Callable[[], Config], host: str = "127.0.0.1", port: int = 8000) -> None:
    """Run the preview until Ctrl-C (or SIGTERM), then remove the temporary build."""
    if not articles_dir.is_dir():
        raise UsageError(f"articles folder not found: {articles_dir}")
    preview = Preview(articles_dir, templates_dir, config_path, load_config)
    stop = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        with running(preview, host, port) as server:
            shown_host = f"[{host}]" if ":" in host else host
            address = f"http://{shown_host}:{server.server_address[1]}"
            click.echo(f"Serving the web archive on {address}{preview.base_path}")
            click.echo(f"Newsletter preview on {address}{EMAIL_PATH}")
            if host not in ("127.0.0.1", "localhost", "::1"):
                click.echo(f"Warning: {host} is reachable from other machines; anyone there "
                           "can read the preview.")
            click.echo("Watching articles, templates and config for changes; Ctrl-C stops.")
            with contextlib.suppress(KeyboardInterrupt):
                while not stop.wait(0.5):
                    pass
    finally:
        signal.signal(signal.SIGTERM, previous)
    click.echo("Stopped.")
