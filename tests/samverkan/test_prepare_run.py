"""make run prepares only what changed (issue 34): the demo is loaded again only when
something it is made from changed since it was loaded into this database."""

from __future__ import annotations

import io
from typing import Any

import pytest

from samverkan.management.commands import prepare_run

pytestmark = pytest.mark.django_db


def test_the_demo_is_loaded_again_only_when_what_makes_it_changed(monkeypatch: Any) -> None:
    ran: list[str] = []
    real = prepare_run.call_command

    def call(name: str, *args: Any, **kwargs: Any) -> None:
        ran.append(name)
        if name == "extract_document_texts":
            real(name, *args, **kwargs)

    monkeypatch.setattr(prepare_run, "call_command", call)

    def prepare() -> list[str]:
        ran.clear()
        real("prepare_run", with_accounts=True, stdout=io.StringIO())
        return list(ran)

    assert prepare() == ["load_demo", "extract_document_texts"]  # a database never loaded
    assert prepare_run.loaded_fingerprint() == prepare_run.demo_fingerprint(with_accounts=True)
    assert prepare() == ["extract_document_texts"]  # nothing changed: no load
    monkeypatch.setattr(prepare_run, "demo_fingerprint", lambda **_: "changed code or seeds")
    assert prepare() == ["load_demo", "extract_document_texts"]
    assert prepare() == ["extract_document_texts"]


def test_a_fingerprint_names_every_source_of_the_demo(tmp_path: Any, settings: Any) -> None:
    for folder in prepare_run.SOURCES:
        (tmp_path / folder).mkdir()
    (tmp_path / "councils" / "services.py").write_text("A = 1\n")
    (tmp_path / "samverkan" / "node_modules").mkdir()
    settings.BASE_DIR = tmp_path
    before = prepare_run.demo_fingerprint(with_accounts=True)
    (tmp_path / "samverkan" / "node_modules" / "x.txt").write_text("ignored")
    assert prepare_run.demo_fingerprint(with_accounts=True) == before
    (tmp_path / "councils" / "services.py").write_text("A = 2\n")
    assert prepare_run.demo_fingerprint(with_accounts=True) != before
    assert prepare_run.demo_fingerprint(with_accounts=False) != prepare_run.demo_fingerprint(
        with_accounts=True
    )
