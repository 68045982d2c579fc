"""HTML to PDF with WeasyPrint, fetching nothing but the project's own static files.

User text is escaped by the templates, so it never becomes markup; the URL fetcher is the
second wall: whatever URL a document names, only `/static/...` paths that Django's static
file finders resolve to a file inside their own directory are served, and the pictures the
caller hands over by name (the report's charts, drawn by the application). file:, http:, https:,
data: and every other scheme are refused, and no attachment is ever embedded.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable, Mapping
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders

from assessment.reporting import fonts

fonts.configure()  # before WeasyPrint sets fontconfig up

from weasyprint import HTML  # noqa: E402
from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: E402

#: The base URL documents are rendered against; only its /static/ path is ever served.
BASE_URL = "https://report.invalid/"


class RefusedURL(ValueError):
    """The PDF renderer asked for something outside the project's static files."""


def static_path(url: str, base_url: str = BASE_URL) -> Path:
    """The file a `/static/...` URL on base_url's origin names, or RefusedURL."""
    parts = urlsplit(url)
    base = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or (parts.scheme, parts.netloc) != (
        base.scheme,
        base.netloc,
    ):
        raise RefusedURL(f"refused: {url[:80]}")
    prefix = settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/static/"
    path = unquote(parts.path)
    if not path.startswith(prefix) or "\x00" in path:
        raise RefusedURL(f"refused: {url[:80]}")
    name = path.removeprefix(prefix)
    if not name or name.startswith("/") or ".." in Path(name).parts:
        raise RefusedURL(f"refused: {url[:80]}")
    found = finders.find(name)
    if found:
        root = Path(str(found).removesuffix(name))
    else:
        # Collected (hashed) names exist only in STATIC_ROOT.
        root = Path(settings.STATIC_ROOT)
        found = str(root / name)
    found_path = Path(found).resolve()
    # The file must stay inside the static directory it was found in (no symlink out).
    if not found_path.is_file() or not found_path.is_relative_to(root.resolve()):
        raise RefusedURL(f"not a static file: {url[:80]}")
    return found_path


#: Where the pictures handed to the fetcher (the report's charts as SVG) are.
PICTURES = "/_pictures/"


class StaticFilesFetcher(URLFetcher):
    """Serves the project's static files, and the pictures it is handed (by name, under
    PICTURES on base_url's origin), and refuses everything else."""

    def __init__(
        self,
        base_url: str = BASE_URL,
        pictures: Mapping[str, Callable[[], bytes]] | None = None,
    ) -> None:
        super().__init__(allowed_protocols=[], allow_redirects=False)
        self.base_url = base_url
        self.pictures = dict(pictures or {})

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        picture = self._picture(url)
        if picture is not None:
            kind = mimetypes.guess_type(urlsplit(url).path)[0] or "image/svg+xml"
            return URLFetcherResponse(
                url, body=picture(), headers={"Content-Type": kind}
            )
        # Never reaches urllib: the path is read from disk after the checks.
        path = static_path(url, self.base_url)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, body=path.read_bytes(), headers={"Content-Type": content_type}
        )

    def _picture(self, url: str) -> Callable[[], bytes] | None:
        parts, base = urlsplit(url), urlsplit(self.base_url)
        if (parts.scheme, parts.netloc) != (base.scheme, base.netloc) or parts.query:
            return None
        name = parts.path.removeprefix(PICTURES)
        return self.pictures.get(name) if name != parts.path else None


def render_pdf(
    html: str,
    base_url: str = BASE_URL,
    pictures: Mapping[str, Callable[[], bytes]] | None = None,
) -> bytes:
    """The PDF of an HTML document whose /static/ links resolve against base_url.

    Only static files on base_url's own origin are read (from disk, never over HTTP),
    and the `pictures` named under PICTURES (drawn when WeasyPrint asks for them).
    """
    document = HTML(
        string=html,
        base_url=base_url,
        url_fetcher=StaticFilesFetcher(base_url, pictures),
    ).render()
    # No embedded files, whatever the markup said.
    document.metadata.attachments = []
    for page in document.pages:
        page.links[:] = [link for link in page.links if link[0] != "attachment"]
    return document.write_pdf(attachments=None, pdf_forms=False)
