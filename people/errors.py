class Refused(Exception):
    """A change to a profile, organisation or membership refused, with a
    sentence fit to show beside the field (`field`) and the HTTP status the
    API would answer with. Views turn it into a form error."""

    def __init__(self, message, *, field=None, status=400, code="invalid"):
        super().__init__(message)
        self.message = message
        self.field = field
        self.status = status
        self.code = code
