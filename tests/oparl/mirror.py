"""An OParl client that keeps a mirror in sync the way the spec describes it, written from the outside.

It knows only HTTP and JSON: ``get(url) -> (status, json)``. A full crawl reads every external list of every
Body; an update re-reads the same lists with ``modified_since`` (the second its previous run started) and
applies what comes back: a full object replaces the mirrored copy, a ``deleted: true`` stub removes it.
Nothing of the server's code is imported, so the tests built on it check what a real client relies on.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

BODY_LISTS = ("organization", "person", "meeting", "paper", "agendaItem", "consultation", "file", "locationList", "membership")
STUB_KEYS = {"id", "type", "created", "modified", "deleted"}


def now_second() -> str:
    """The client's clock at second precision, the precision OParl publishes (``yyyy-mm-ddThh:mm:ss±hh:mm``)."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


class Mirror:
    def __init__(self, get, system_url: str):
        self.get = get
        self.system_url = system_url
        self.objects: dict[str, dict] = {}
        self.stubs_seen: dict[str, dict] = {}
        self.last_run: str | None = None

    def _pages(self, url: str) -> list[dict]:
        found = []
        while url:
            status, data = self.get(url)
            assert status == 200, f"{url}: {status}"
            found += data["data"]
            url = data["links"].get("next")
        return found

    def _list_urls(self) -> list[str]:
        status, system = self.get(self.system_url)
        assert status == 200, f"{self.system_url}: {status}"
        urls = []
        for body in self._pages(system["body"]):
            urls += [body[name] for name in BODY_LISTS if name in body]
        return urls

    def full_crawl(self) -> dict[str, dict]:
        """Everything the lists offer now (no stubs: without ``modified_since`` lists leave them out)."""
        started = now_second()
        objects = {}
        for url in self._list_urls():
            for obj in self._pages(url):
                assert not obj.get("deleted"), f"stub without modified_since: {obj['id']}"
                objects[obj["id"]] = obj
        self.objects, self.last_run = objects, started
        return objects

    def update(self) -> dict[str, dict]:
        """Apply the changes since the previous run; returns the stubs received."""
        assert self.last_run is not None, "update() needs a full crawl first"
        started = now_second()
        stubs = {}
        for url in self._list_urls():
            query = urlencode({"modified_since": self.last_run})
            for obj in self._pages(f"{url}?{query}"):
                if obj.get("deleted"):
                    assert set(obj) == STUB_KEYS, f"stub with extra keys: {obj}"
                    stubs[obj["id"]] = obj
                    self.objects.pop(obj["id"], None)
                else:
                    self.objects[obj["id"]] = obj
        self.stubs_seen.update(stubs)
        self.last_run = started
        return stubs


def differences(mirror: dict[str, dict], truth: dict[str, dict]) -> list[str]:
    """Readable differences between a mirror and a fresh crawl."""
    out = [f"missing in mirror: {i}" for i in sorted(set(truth) - set(mirror))]
    out += [f"stale in mirror (gone from the server): {i}" for i in sorted(set(mirror) - set(truth))]
    for i in sorted(set(mirror) & set(truth)):
        if mirror[i] != truth[i]:
            keys = sorted(k for k in set(mirror[i]) | set(truth[i]) if mirror[i].get(k) != truth[i].get(k))
            out.append(
                f"outdated in mirror: {i} ({', '.join(keys)}; modified {mirror[i].get('modified')} → {truth[i].get('modified')})"
            )
    return out
