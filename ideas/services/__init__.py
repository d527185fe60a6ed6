"""Every write of the participation loop, one module per thing acted on.

Each function checks permission (ideas/rules.py), validates, writes in one
transaction, and registers its side effects (live broadcast, search
indexing, email) with `transaction.on_commit`, so nothing is announced for a
write that rolled back. Views, the API, consumers and commands call these;
none of them writes through the ORM itself. Import the module you need
(`from ideas.services import votes`); nothing is re-exported here."""
