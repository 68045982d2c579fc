"""benchmarks/load.py works only on databases it names itself (loadtest_<hex>)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

PATH = Path(__file__).resolve().parent.parent / "benchmarks" / "load.py"
spec = importlib.util.spec_from_file_location("load_benchmark", PATH)
load = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = load  # its dataclasses look their module up
spec.loader.exec_module(load)


def test_it_makes_up_fresh_prefixed_names():
    first, second = load.new_database_name(), load.new_database_name()
    assert first != second
    for name in (first, second):
        assert name.startswith("loadtest_")
        assert load.checked_database_name(name) == name


@pytest.mark.parametrize(
    "name",
    [
        "assessment",  # the README's production database
        "assessment_load",
        "test",
        "postgres",
        "loadtest_",
        "loadtest_xyz12345",
        "loadtest_0123456789",
        'loadtest_01234567"; DROP DATABASE assessment; --',
        "myloadtest_01234567",
    ],
)
def test_it_refuses_any_name_without_its_prefix(name):
    with pytest.raises(ValueError, match="refusing database"):
        load.checked_database_name(name)


def test_create_and_drop_refuse_other_names_before_connecting(monkeypatch):
    def no_connection(url):
        raise AssertionError("connected")

    monkeypatch.setattr(load, "_admin_connection", no_connection)
    for act in (load.create_database, load.drop_database):
        with pytest.raises(ValueError):
            act("postgres://assessment:pw@127.0.0.1:5432/assessment")


def test_the_url_keeps_the_server_and_sets_the_name():
    url = load.database_url("postgres://root@127.0.0.1:5432", "loadtest_0a1b2c3d")
    assert url == "postgres://root@127.0.0.1:5432/loadtest_0a1b2c3d"
