from allauth.socialaccount.providers.base import ProviderException


class SignInRefused(ProviderException):
    """A sign-in refused for a reason the person may be told: the message is
    shown on the error page (templates/socialaccount/authentication_error.html)."""

    def __init__(self, message):
        super().__init__(message)
        self.public_message = message
