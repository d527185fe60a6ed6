"""A stand-in for the Elasticsearch client (no server runs here): it records
every call with its arguments and keeps just enough state (indices, aliases,
documents) for the index lifecycle and the outbox to be checked end to end.

`down = True` makes every call fail as an unreachable cluster does
(elastic_transport.ConnectionError; ping answers False). Searches answer
`response` when set, else every document behind the searched aliases, with
no scoring: the query bodies are what the tests check, not relevance."""

from types import SimpleNamespace

import elasticsearch
from elastic_transport import ApiResponseMeta, ConnectionError, HttpHeaders, NodeConfig


def api_error(cls, status, error_type):
    meta = ApiResponseMeta(
        status=status, http_version="1.1", headers=HttpHeaders(), duration=0.0, node=NodeConfig("http", "es.invalid", 9200)
    )
    return cls(error_type, meta=meta, body={"error": {"type": error_type}, "status": status})


def index_missing(name):
    return api_error(elasticsearch.NotFoundError, 404, f"index_not_found_exception: no such index [{name}]")


class FakeIndices:
    def __init__(self, client):
        self.client = client
        self.existing = set()  # concrete indices
        self.aliases = {}  # alias -> set of indices

    def _call(self, method, **kwargs):
        self.client._call(f"indices.{method}", **kwargs)

    def exists(self, index):
        self._call("exists", index=index)
        return index in self.existing or index in self.aliases

    def exists_alias(self, name):
        self._call("exists_alias", name=name)
        return name in self.aliases

    def get_alias(self, name):
        self._call("get_alias", name=name)
        return {index: {"aliases": {name: {}}} for index in sorted(self.aliases[name])}

    def create(self, index, aliases=None, mappings=None, settings=None):
        self._call("create", index=index, aliases=aliases, mappings=mappings, settings=settings)
        assert index not in self.existing and index not in self.aliases, f"{index} exists"
        self.existing.add(index)
        for alias in aliases or {}:
            self.aliases.setdefault(alias, set()).add(index)

    def refresh(self, index):
        self._call("refresh", index=index)

    def delete(self, index, ignore_unavailable=False):
        self._call("delete", index=index, ignore_unavailable=ignore_unavailable)
        self.existing.discard(index)
        self.client.documents.pop(index, None)

    def update_aliases(self, actions):
        self._call("update_aliases", actions=actions)
        # One atomic request: an index it removes no longer blocks an alias it adds.
        for action in sorted(actions, key=lambda action: "remove_index" not in action):
            ((verb, args),) = action.items()
            if verb == "add":
                assert args["alias"] not in self.existing, "an alias cannot take an index's name"
                self.aliases.setdefault(args["alias"], set()).add(args["index"])
            elif verb == "remove":
                self.aliases[args["alias"]].discard(args["index"])
            elif verb == "remove_index":
                self.existing.discard(args["index"])

    def behind(self, alias):
        return sorted(self.aliases.get(alias, ()))


class FakeElasticsearch:
    def __init__(self, fail_bulk=False):
        self.calls = []
        self.indices = FakeIndices(self)
        self.documents = {}  # concrete index -> {id: source}
        self.response = None  # what search() answers, when set
        self.fail_bulk = fail_bulk
        self.down = False

    def _call(self, _method, **kwargs):
        self.calls.append((_method, kwargs))
        if self.down:
            raise ConnectionError("Connection refused (fake)")

    def _target(self, name):
        """The one concrete index a write to `name` (an alias) goes to."""
        if name in self.indices.aliases:
            (index,) = self.indices.aliases[name]
            return index
        if name in self.indices.existing:
            return name
        raise index_missing(name)

    def options(self, **kwargs):
        self.calls.append(("options", kwargs))
        return self

    def bulk(self, operations):
        self._call("bulk", operations=list(operations))
        if self.fail_bulk:
            return {"errors": True, "items": [{"index": {"_id": 1, "status": 400, "error": {"type": "mapper_parsing_exception"}}}]}
        for action, source in zip(operations[::2], operations[1::2]):
            self.documents.setdefault(action["index"]["_index"], {})[action["index"]["_id"]] = source
        return {"errors": False, "items": [{"index": {"status": 201}} for _ in operations[::2]]}

    def index(self, index, id, document, **params):
        self._call("index", index=index, id=id, document=document, **params)
        if index not in self.indices.aliases and params.get("require_alias"):
            raise index_missing(index)
        self.documents.setdefault(self._target(index), {})[id] = document

    def delete(self, index, id, **params):
        self._call("delete", index=index, id=id, **params)
        documents = self.documents.get(self._target(index), {})
        if id not in documents:
            raise api_error(elasticsearch.NotFoundError, 404, "not_found")
        del documents[id]

    def behind(self, alias):
        """{id: source} of the documents behind an alias."""
        return dict(self.documents.get(self._target(alias), {}))

    def count(self, index):
        self._call("count", index=index)
        return {"count": len(self.documents.get(self._target(index), {}))}

    def search(self, index, body, **params):
        self._call("search", index=index, body=body, **params)
        if self.response is not None:
            return SimpleNamespace(body=self.response)
        names = index if isinstance(index, list) else index.split(",")
        hits = [
            {"_index": self._target(name), "_id": str(id), "_score": 1.0, "_source": source}
            for name in names
            for id, source in self.documents.get(self._target(name), {}).items()
        ]
        return SimpleNamespace(body={"hits": {"total": {"value": len(hits), "relation": "eq"}, "hits": hits}})

    def ping(self):
        self.calls.append(("ping", {}))
        return not self.down

    def named(self, name):
        return [kwargs for call, kwargs in self.calls if call == name]
