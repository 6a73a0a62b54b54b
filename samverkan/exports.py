"""CSV downloads: semicolon-separated UTF-8 with a byte-order mark, the form Swedish
spreadsheet programs open directly; streamed, so a long export holds no memory."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import Any

from django.http import StreamingHttpResponse
from django.utils.text import slugify


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(
    name: str, header: list[Any], rows: Iterable[Iterable[Any]]
) -> StreamingHttpResponse:
    writer = csv.writer(_Echo(), delimiter=";")

    def lines() -> Iterator[str]:
        yield "\ufeff"
        yield writer.writerow([str(column) for column in header])
        for row in rows:
            yield writer.writerow(["" if value is None else value for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slugify(name)}.csv"'
    return response
