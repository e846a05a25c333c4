"""The Jinja environment: a publication's own templates/ first, then the packaged defaults."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.errors import TemplateError

if TYPE_CHECKING:  # imported where used: a build that changed nothing never needs Jinja
    import jinja2

_ESCAPED_SUFFIXES = (".html.j2", ".mjml.j2", ".xml.j2", ".html", ".xml")


def default_templates_dir() -> Path:
    """Packaged defaults: inside the wheel they sit in the package, in a checkout at the top."""
    packaged = Path(__file__).resolve().parent.parent / "default_templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent.parent / "templates"


def _autoescape(name: str | None) -> bool:
    return bool(name) and name.endswith(_ESCAPED_SUFFIXES)  # type: ignore[union-attr]


def make_environment(user_dir: Path | None, compiled: Path | None = None) -> jinja2.Environment:
    """The templates: ``user_dir``'s overrides first, then the defaults. ``compiled``: a
    folder where each template's compiled code is kept, so that the next process skips
    compiling it (all of them: 0.1 s, in every process that renders)."""
    import jinja2

    from pipeline.render.bytecode import SignedBytecode

    search = []
    if user_dir is not None and user_dir.is_dir():
        search.append(str(user_dir))
    default = default_templates_dir()
    if str(default) not in search:
        search.append(str(default))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(search),
        autoescape=_autoescape,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=SignedBytecode(compiled) if compiled is not None else None,
    )
    return env



def render_template(env: jinja2.Environment, name: str, **context: object) -> str:
    """Render one template, turning every Jinja failure into a message with path and line."""
    import jinja2

    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        where = exc.filename or name
        raise TemplateError(f"{where}:{exc.lineno}: template syntax error: {exc.message}") from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"template not found: {exc.name}") from None
    except jinja2.UndefinedError as exc:
        raise TemplateError(f"{_template_location(exc, env, name)}: {exc.message}") from None
    except jinja2.TemplateError as exc:
        raise TemplateError(f"{_template_location(exc, env, name)}: {exc}") from None


def _template_location(exc: BaseException, env: jinja2.Environment, name: str) -> str:
    # Jinja rewrites tracebacks so template frames carry the template's file and line.
    tb = exc.__traceback__
    where = name
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            where = f"{filename}:{tb.tb_lineno}"
        tb = tb.tb_next
    return where
