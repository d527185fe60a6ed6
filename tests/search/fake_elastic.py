"""A stand-in for the Elasticsearch client (no server runs here): it records
every call with its arguments and keeps just enough state (indices, aliases,
documents) for the index lifecycle to be checked end to end."""

from types import SimpleNamespace


class FakeIndices:
    def __init__(self, client):
        self.client = client
        self.existing = set()  # concrete indices
        self.aliases = {}  # alias -> set of indices

    def _call(self, method, **kwargs):
        self.client.calls.append((f"indices.{method}", kwargs))

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
            (verb, args), = action.items()
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
        self.documents = {}  # index -> {id: source}
        self.hits = []  # what search() answers: ids, best first
        self.fail_bulk = fail_bulk
        self.answers_ping = True

    def options(self, **kwargs):
        self.calls.append(("options", kwargs))
        return self

    def bulk(self, operations):
        self.calls.append(("bulk", {"operations": list(operations)}))
        if self.fail_bulk:
            return {"errors": True, "items": [{"index": {"_id": 1, "status": 400, "error": {"type": "mapper_parsing_exception"}}}]}
        for action, source in zip(operations[::2], operations[1::2]):
            self.documents.setdefault(action["index"]["_index"], {})[action["index"]["_id"]] = source
        return {"errors": False, "items": [{"index": {"status": 201}} for _ in operations[::2]]}

    def index(self, **kwargs):
        self.calls.append(("index", kwargs))

    def delete(self, **kwargs):
        self.calls.append(("delete", kwargs))

    def search(self, index, body, **params):
        self.calls.append(("search", {"index": index, "body": body, **params}))
        hits = [{"_index": index, "_id": str(i), "_score": 1.0, "_source": {}} for i in self.hits]
        return SimpleNamespace(body={"hits": {"total": {"value": len(hits), "relation": "eq"}, "hits": hits}})

    def ping(self):
        self.calls.append(("ping", {}))
        return self.answers_ping

    def named(self, name):
        return [kwargs for call, kwargs in self.calls if call == name]
