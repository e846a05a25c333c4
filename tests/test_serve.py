"""Issue 8: `pipeline serve`, driven over real HTTP (http.client sends paths exactly as
written, so traversal attempts reach the server unnormalized). Browser tests of the live
reload are in tests/test_site_browser.py."""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import lxml.html
import pytest

from pipeline.config import load_config
from pipeline.serve import Preview, running, safe_parts
from tests.helpers import ctrl_c_once_forked, popen_interruptible, write_article

SECRET = "top-secret-outside-the-site"


class Served:
    def __init__(self, project: Path, preview: Preview, port: int, log: list[str]) -> None:
        self.project, self.preview, self.port, self.log = project, preview, port, log

    def get(self, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request(method, path)
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            conn.close()

    def wait_until(self, condition: Callable[[], bool], seconds: float = 15.0) -> None:
        """Wait for rebuilds until the condition holds (a bound for hangs, not a timing test)."""
        deadline = time.monotonic() + seconds
        seen = None
        while not condition():
            assert time.monotonic() < deadline, "the preview never reached the expected state"
            seen = self.preview.wait_for_change(seen, 0.5)


def make_project(root: Path) -> Path:
    write_article(root / "articles", "first-post.md", title="First post", date="2026-01-05")
    (root / "pipeline.toml").write_text('[site]\ntitle = "Preview Notes"\n')
    (root / "secret.txt").write_text(SECRET)
    return root


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    """A preview of one's own, for tests that edit files."""
    with serving(make_project(tmp_path)) as handle:
        yield handle


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """One preview for the tests that only read."""
    with serving(make_project(tmp_path_factory.mktemp("shared"))) as handle:
        yield handle


@contextlib.contextmanager
def serving(project: Path) -> Iterator[Served]:
    """The preview of a project, in this process, on a free port."""
    log: list[str] = []
    config_path = project / "pipeline.toml"
    preview = Preview(project / "articles", project / "templates", config_path,
                      lambda: load_config(config_path), echo=log.append)
    with running(preview, "127.0.0.1", 0) as server:
        yield Served(project, preview, server.server_address[1], log)


def test_serves_the_archive_with_the_reload_script(shared: Served) -> None:
    status, headers, body = shared.get("/first-post/")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    doc = lxml.html.fromstring(body)
    assert doc.xpath("//h1")[0].text_content() == "First post"
    assert any("EventSource" in (s.text or "") for s in doc.xpath("//script"))
    assert headers["Cache-Control"] == "no-store"
    built = (shared.preview.output / "site/first-post/index.html").read_bytes()
    assert b"EventSource" not in built, "the script is added when served, never built in"
    status, headers, css = shared.get("/style.css")
    assert status == 200 and headers["Content-Type"].startswith("text/css") and b"{" in css
    assert shared.get("/first-post/", "HEAD")[2] == b""


def test_builds_outside_the_project(shared: Served) -> None:
    assert not (shared.project / "output").exists()
    assert not shared.preview.output.is_relative_to(shared.project)


def test_folder_without_slash_redirects_and_missing_pages_get_the_404_page(
        shared: Served) -> None:
    status, headers, _ = shared.get("/first-post")
    assert status == 301 and headers["Location"] == "/first-post/"
    status, _, body = shared.get("/no-such-page/")
    assert status == 404 and b"Page not found" in body


@pytest.mark.parametrize("path", [
    "/../secret.txt", "/../../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/%2e%2e/secret.txt",
    "/..%2fsecret.txt", "/..%2F..%2Fsecret.txt", "/first-post/..%2f..%2f..%2fsecret.txt",
    "/%2e%2e%2f%2e%2e%2fsecret.txt", "/..\\secret.txt", "/%5c..%5csecret.txt",
    "/..%5c..%5csecret.txt", "/%252e%252e/secret.txt", "/first-post/%00", "//../secret.txt",
    "/../email/newsletter.txt", "/%2e%2e/email/newsletter.html", "/_email/../../secret.txt",
    "/_email/%2e%2e/%2e%2e/secret.txt", "/.%2e/secret.txt", "/%c0%ae%c0%ae/secret.txt",
    "/" + "../" * 12 + "etc/passwd", "/%2e%2e/" * 12 + "etc/passwd",
])
def test_traversal_never_serves_a_file_outside_the_site(shared: Served, path: str) -> None:
    status, _, body = shared.get(path)
    assert status in (400, 404), (path, status)
    assert SECRET.encode() not in body and b"root:" not in body
    assert b"From:" not in body  # the newsletter lives outside site/: only /_email/ shows it


def test_safe_parts_rejects_every_spelling_of_dot_dot() -> None:
    for path in ["/..", "/a/../b", "/%2e%2e/x", "/%2E%2e", "/a%2f..%2fb", "/a\\b", "/%5c", "/%00"]:
        assert safe_parts(path) is None, path
    assert safe_parts("/a/./b/") == ["a", "b"]
    assert safe_parts("/tags/%E5%81%A5/") == ["tags", "健"]


def test_newsletter_preview(shared: Served) -> None:
    status, _, body = shared.get("/_email/")
    assert status == 200 and b"First post" in body and b"EventSource" in body
    assert shared.get("/_email")[0] == 301
    status, headers, text = shared.get("/_email/newsletter.txt")
    assert status == 200 and headers["Content-Type"].startswith("text/plain")
    assert b"First post" in text


def test_edit_rebuilds_and_tells_open_pages(served: Served) -> None:
    version = served.preview.version
    write_article(served.project / "articles", "first-post.md", title="Renamed post",
                  date="2026-01-05")
    served.wait_until(lambda: b"Renamed post" in served.get("/first-post/")[2])
    assert served.preview.version > version
    assert any(line.startswith("Changed: ") for line in served.log)


def test_broken_article_shows_findings_over_the_last_good_build_until_fixed(
        served: Served) -> None:
    article = served.project / "articles" / "first-post.md"
    good = article.read_text()
    article.write_text(good.replace("date: 2026-01-05", "date: someday"))
    served.wait_until(lambda: served.preview.problem is not None)
    status, _, body = served.get("/first-post/")
    doc = lxml.html.fromstring(body)
    assert status == 200 and doc.xpath("//h1")[0].text_content() == "First post"
    overlay = doc.xpath("//*[@data-pipeline-error]")
    assert overlay and "first-post.md:3:1" in overlay[0].text_content()
    assert "'date' is not a date" in overlay[0].text_content()
    assert any("first-post.md:3:1: error front-matter" in line for line in served.log)
    article.write_text(good)
    served.wait_until(lambda: served.preview.problem is None)
    assert b"data-pipeline-error" not in served.get("/first-post/")[2]


def test_template_and_config_changes_rebuild(served: Served) -> None:
    (served.project / "pipeline.toml").write_text('[site]\ntitle = "Renamed Notes"\n')
    served.wait_until(lambda: b"Renamed Notes" in served.get("/")[2])
    templates = served.project / "templates" / "site"
    templates.mkdir(parents=True)  # a folder that did not exist when serving started
    (templates / "style.css").write_text("body { color: purple; }\n")
    served.wait_until(lambda: served.get("/style.css")[2] == b"body { color: purple; }\n")
    (served.project / "pipeline.toml").write_text("[site]\nnot_a_key = 1\n")
    served.wait_until(lambda: served.preview.problem is not None)
    assert b"not_a_key" in served.get("/")[2]


def test_without_any_good_build_every_page_is_the_error_page(tmp_path: Path) -> None:
    write_article(tmp_path / "articles", "broken.md", disclaimer=False)
    with serving(tmp_path) as served:
        status, _, body = served.get("/anything/")
        assert status == 500 and b"disclaimer-missing" in body and b"EventSource" in body
        write_article(tmp_path / "articles", "broken.md")
        served.wait_until(lambda: served.get("/broken/")[0] == 200)


def test_event_stream_sends_the_build_number(shared: Served) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", shared.port, timeout=10)
    conn.request("GET", "/_events")
    response = conn.getresponse()
    assert response.getheader("Content-Type") == "text/event-stream"
    lines = [response.readline() for _ in range(4)]
    build_id = shared.preview.build_id(shared.preview.version)
    assert f"data: {build_id}\n".encode() in lines
    conn.close()


def test_site_url_with_a_path_is_served_under_it(tmp_path: Path) -> None:
    make_project(tmp_path)
    (tmp_path / "pipeline.toml").write_text('[site]\nurl = "https://example.org/blog"\n')
    with serving(tmp_path) as served:
        status, headers, _ = served.get("/")
        assert status == 301 and headers["Location"] == "/blog/"
        assert served.get("/blog/first-post/")[0] == 200
        assert served.get("/first-post/")[0] == 404


def _start_cli(project: Path, *args: str) -> tuple[subprocess.Popen[str], str]:
    env = {**os.environ, "TMPDIR": str(project / "tmp")}
    (project / "tmp").mkdir()
    process = popen_interruptible(
        [str(Path(sys.executable).with_name("pipeline")), "serve", "--port", "0", *args],
        cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert process.stdout is not None
    lines = []
    for line in process.stdout:
        lines.append(line)
        if line.startswith("Serving the web archive on "):
            return process, line.split(" on ", 1)[1].strip()
    process.wait(timeout=10)
    pytest.fail("serve did not start:\n" + "".join(lines))


def test_cli_serves_on_localhost_and_ctrl_c_stops_cleanly(tmp_path: Path) -> None:
    process, address = _start_cli(make_project(tmp_path))
    try:
        assert address.startswith("http://127.0.0.1:")
        conn = http.client.HTTPConnection(address.removeprefix("http://").rstrip("/"), timeout=10)
        conn.request("GET", "/first-post/")
        assert conn.getresponse().status == 200
        conn.close()
        assert list((tmp_path / "tmp").iterdir()), "the build lives in a temporary folder"
        process.send_signal(signal.SIGINT)
        # Generous: the shutdown waits for a build under way (the watcher's join allows
        # 30 s); this guards against a hang, not against a slow machine.
        out, _ = process.communicate(timeout=45)
    finally:
        process.kill()
    assert process.returncode == 0, out
    assert "Stopped." in out and "Traceback" not in out
    assert list((tmp_path / "tmp").iterdir()) == [], "the temporary build is removed"
    assert not (tmp_path / "output").exists()


def test_cli_reports_a_busy_port(tmp_path: Path) -> None:
    with serving(make_project(tmp_path)) as served:
        result = subprocess.run(
            [str(Path(sys.executable).with_name("pipeline")), "serve", "--port", str(served.port)],
            cwd=tmp_path, capture_output=True, text=True, timeout=30)
    assert result.returncode == 2 and "already in use" in result.stderr + result.stdout


def test_cli_refuses_a_missing_articles_folder(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(Path(sys.executable).with_name("pipeline")), "serve", "--articles", "nope"],
        cwd=tmp_path, capture_output=True, text=True, timeout=30)
    assert result.returncode == 2 and "articles folder not found: nope" in result.stderr


def test_articles_folder_removed_and_restored(served: Served) -> None:
    articles = served.project / "articles"
    moved = served.project / "elsewhere"
    articles.rename(moved)
    served.wait_until(lambda: served.preview.problem is not None)
    assert b"articles folder not found" in served.get("/first-post/")[2]
    moved.rename(articles)
    served.wait_until(lambda: served.preview.problem is None)
    assert served.get("/first-post/")[0] == 200


def test_a_save_that_changes_nothing_leaves_open_tabs_alone(served: Served) -> None:
    """Saving an article unchanged rebuilds, but does not reload the editor's tabs (nor did
    the watcher's first build, made once it listens, after the one made before it started)."""
    article = served.project / "articles" / "first-post.md"
    before = served.preview.version
    article.write_bytes(article.read_bytes())
    served.wait_until(lambda: any(line.startswith("Changed:") for line in served.log))
    article.write_text(article.read_text().replace("Gentle movement", "Kind movement"))
    served.wait_until(lambda: b"Kind movement" in served.get("/first-post/")[2])
    assert served.preview.version == before + 1, "only the real edit reloads the tabs"


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2,
                    reason="a build forks workers only with two cores or more")
def test_ctrl_c_during_the_first_build_stops_cleanly(tmp_path: Path) -> None:
    """The first build runs in serve's main thread, before any other starts (so that it may
    use every core): Ctrl-C there stops the workers and removes the temporary build."""
    for index in range(320):  # enough for two processes, and a first build of a second or more
        write_article(tmp_path / "articles", f"post-{index:03d}.md", title=f"Post {index}",
                      date=f"2026-01-{1 + index % 28:02d}", body="Short walks may help. " * 40)
    (tmp_path / "tmp").mkdir()
    process = popen_interruptible(
        [str(Path(sys.executable).with_name("pipeline")), "serve", "--port", "0"],
        cwd=tmp_path, env={**os.environ, "TMPDIR": str(tmp_path / "tmp")},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    out, _ = ctrl_c_once_forked(process)
    assert process.returncode == 130, out
    assert b"Aborted" in out and b"Traceback" not in out and b"Serving" not in out, out
    assert list((tmp_path / "tmp").iterdir()) == [], "the temporary build is removed"
    with pytest.raises(ProcessLookupError):
        os.killpg(process.pid, 0)  # no worker outlived serve
