"""Checks on raw input shared by every way in (forms, the API, services).

Django's form fields already refuse NUL characters (ProhibitNullCharactersValidator),
but JSON strings can carry them: SQLite then stored them and PostgreSQL, which
cannot hold NUL in text, failed with a 500. One message, one check, so every
surface refuses them the same way."""

from typing import Annotated

from ninja.params.functions import Path
from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from inputs.ids import MAX_ID, parse_id  # noqa: F401  (asked through here by the apps above ideas)
from inputs.refusals import Refused

# Django's own wording, so a form and the API say the same thing.
NUL_MESSAGE = "Null characters are not allowed."


def has_nul(value):
    return isinstance(value, str) and "\x00" in value


def refuse_nul(value, field=None):
    """For services and views: raise the Refused forms and the API show."""
    if has_nul(value):
        raise Refused(NUL_MESSAGE, field=field, code="invalid")
    return value


def _pydantic_no_nul(value):
    if has_nul(value):
        raise PydanticCustomError("nul_character", NUL_MESSAGE)
    return value


def text(max_length=None, required=False):
    """A string field for API schemas: refuses NUL (declared as a pattern),
    and declares without enforcing the service's limits (length, not blank),
    so the schema tells clients the limits while the service keeps its
    specific message ("A title must be 150 characters or fewer (it is
    151).") and its 400."""
    extra = {"pattern": "^[^\\u0000]*$"}
    if max_length:
        extra["maxLength"] = max_length
    if required:
        extra["minLength"] = 1
    return Annotated[str, AfterValidator(_pydantic_no_nul), Field(json_schema_extra=extra)]


# An id in a JSON body: a JSON integer (not "5" or 5.0), positive and within
# the 64-bit key range.
Id = Annotated[int, Field(strict=True, ge=1, le=MAX_ID)]
# An id in an API path. Out of range is a 422 naming the parameter; it was a
# 500 on SQLite, which cannot hold the number.
PathId = Annotated[int, Path(..., ge=1, le=MAX_ID)]


def bad_parameter(name, message):
    """A query parameter refused: a 400 naming it."""
    return Refused(message, field=name, status=400, code="invalid_parameter")


def only_parameters(params, allowed):
    """400 for the first parameter not in `allowed` (a QueryDict or dict):
    silently ignoring a misspelt filter would hand back everything and look
    like an answer."""
    for name in params:
        if name not in allowed:
            takes = ", ".join(sorted(allowed)) or "no parameters"
            raise bad_parameter(name, f"Unknown parameter “{name}”: this address takes {takes}.")
