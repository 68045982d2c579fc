"""The PDF renderer reads the project's own static files and nothing else."""

from __future__ import annotations

import pytest

from assessment.reporting.pdf import (
    BASE_URL,
    RefusedURL,
    StaticFilesFetcher,
    render_pdf,
)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file:///work/main/static/css/app.css",
        "http://example.invalid/x.css",
        "https://example.invalid/static/css/app.css",
        "data:text/css;base64,Ym9keXtjb2xvcjpyZWR9",
        "data:image/png;base64,iVBORw0KGgo=",
        "ftp://example.invalid/x",
        "about:blank",
        BASE_URL + "static/css/no-such-file.css",
        BASE_URL + "static/../sanitation/settings.py",
        BASE_URL + "static/%2e%2e/sanitation/settings.py",
        BASE_URL + "static/",
        BASE_URL + "media/evidence/x.pdf",
        BASE_URL + "etc/passwd",
        "http://report.invalid/static/css/app.css",
    ],
)
def test_it_refuses_everything_but_static_files(url):
    with pytest.raises(RefusedURL):
        StaticFilesFetcher().fetch(url)


def test_it_serves_a_real_static_file():
    response = StaticFilesFetcher().fetch(BASE_URL + "static/css/app.css")
    body = response.read()
    response.close()
    assert b"app-navbar" in body
    assert response.content_type == "text/css"


def test_it_serves_static_files_of_the_given_origin_only():
    fetcher = StaticFilesFetcher("http://testserver/")
    assert fetcher.fetch("http://testserver/static/css/app.css").read()
    with pytest.raises(RefusedURL):
        fetcher.fetch(BASE_URL + "static/css/app.css")


def test_a_document_naming_outside_resources_renders_without_them():
    html = (
        '<html><head><link rel="stylesheet" href="http://example.invalid/x.css">'
        '<link rel="attachment" href="file:///etc/passwd"></head><body>'
        '<img src="file:///etc/passwd"><img src="data:image/png;base64,iVBORw0KGgo=">'
        '<a rel="attachment" href="file:///etc/hostname">x</a><p>正文</p></body></html>'
    )
    pdf = render_pdf(html)
    assert pdf.startswith(b"%PDF")
    assert b"/EmbeddedFile" not in pdf
    assert b"/Image" not in pdf
