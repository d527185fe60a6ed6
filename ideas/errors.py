class ActionError(Exception):
    """A participation action refused, with a message fit to show the person.

    `field` names the form field at fault (None for the whole form); `status`
    is the HTTP status the API answers with."""

    def __init__(self, message, *, field=None, status=400, code="invalid"):
        super().__init__(message)
        self.message = message
        self.field = field
        self.status = status
        self.code = code

    def as_json(self):
        return {"error": {"code": self.code, "message": self.message, "field": self.field}}
