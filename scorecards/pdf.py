"""PDFs drawn from the app's own HTML by WeasyPrint (the interview kit's,
scorecards/kit.py). WeasyPrint fetches nothing from the network or the server's disk:
its URL fetcher serves the app's static files under a made-up origin and refuses every
other URL."""

import mimetypes
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# The made-up origin the PDF's document is read from: its static URLs resolve under it,
# and the fetcher answers for it alone. `.invalid` can never be a real host (RFC 2606).
PDF_BASE_URL = "https://scorecards.invalid/"


def render_pdf(html: str) -> bytes:
    return HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=StaticFilesOnly()).write_pdf()


class StaticFilesOnly(URLFetcher):
    """Serves the app's static files under PDF_BASE_URL and refuses every other URL
    (another host, file:, data:, a path outside the static files): a PDF is drawn
    from what the app ships, never from the network or the server's disk."""

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        base = urlsplit(PDF_BASE_URL)
        prefix = "/" + settings.STATIC_URL.strip("/") + "/"
        if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
            raise ValueError(f"The interview kit fetches nothing from {url[:100]}")
        if not parts.path.startswith(prefix):
            raise ValueError(f"The interview kit fetches static files only, not {url[:100]}")
        path = static_file(unquote(parts.path.removeprefix(prefix)))
        if path is None:
            raise ValueError(f"No static file at {url[:100]}")
        with open(path, "rb") as file:
            body = file.read()
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": content_type})


def static_file(name: str) -> str | None:
    """The path of the static file `name` (as `{% static %}` writes it, hashed or not),
    or None."""
    if not name or ".." in PurePosixPath(name).parts or name.startswith("/"):
        return None
    try:
        found = finders.find(name)
        if found:
            return found
        if staticfiles_storage.exists(name):
            return staticfiles_storage.path(name)
    except (SuspiciousFileOperation, NotImplementedError, ValueError):
        return None
    return None
