"""A pytest plugin for the DTS community validator run by tests/test_dts_validator.py: fixes its
known crash on flat collections (see that module's docstring). Not collected by our own suite."""

from __future__ import annotations


def pytest_configure(config):
    from dts_validator import client

    original = client.DTS_API.collections

    def collections(self, id=None, recursive=False, navigation="children"):
        found = original(self, id=id, recursive=recursive, navigation=navigation)
        if id is not None and isinstance(found, client.DTS_Collection) and found.json.get("@type") == "Resource":
            return client.DTS_Resource(found.json)
        return found

    client.DTS_API.collections = collections
