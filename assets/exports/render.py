"""HTML rendering for exports: Jinja2 with autoescaping on, so a value can never become markup."""

from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from core.normalise import visible

TEMPLATES = Path(__file__).parent / "templates"


@cache
def environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        # every value shown to a reviewer without bidi overrides or zero-width characters
        finalize=lambda value: visible(value) if isinstance(value, str) else value,
    )


def render_html(template: str, **values: object) -> str:
    """Render `templates/<template>`; every value is HTML-escaped unless the template says not."""
    return environment().get_template(template).render(**values)
