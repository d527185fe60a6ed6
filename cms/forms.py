"""allauth's sign-up and log-in forms with our rate limits: a refusal is a
form error (so what was typed stays) and the response becomes a 429."""

from allauth.account.forms import LoginForm, SignupForm
from django import forms

from ideas.ratelimits import RateLimited, enforce

from .middleware import current_request


class RateLimitedLoginForm(LoginForm):
    def clean(self):
        try:
            enforce(self.request or current_request.get(), "login")
        except RateLimited as exc:
            raise forms.ValidationError(exc.message, code="rate_limited")
        return super().clean()


class RateLimitedSignupForm(SignupForm):
    def clean(self):
        try:
            enforce(current_request.get(), "signup")
        except RateLimited as exc:
            raise forms.ValidationError(exc.message, code="rate_limited")
        return super().clean()
