"""allauth's log-in and sign-up forms with the limits refused on the form
(so what was typed stays; the response becomes a 429 with Retry-After), and
a sign-up that never says whether an email address is registered."""

from allauth.account import app_settings
from allauth.account import forms as allauth_forms
from allauth.account.adapter import get_adapter
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.account.models import EmailAddress
from allauth.account.utils import complete_signup, get_next_redirect_url, perform_login
from allauth.core import context
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from people import validation
from inputs.refusals import Refused
from people.services import set_display_name
from people.validation import NAME_MAX

from .accounts import limit, too_often, trusted_device, wait_for

MANDATORY = app_settings.EmailVerificationMethod.MANDATORY


class LoginForm(AllauthLoginForm):
    """Every attempt counts towards "login_attempt" per address, except from a
    browser that signed in to the account typed before (its failures are
    bounded by the account's own limit); failed ones are counted by the
    adapter (cms/accounts.py), per address and per (email, address or browser)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _sentence_case(self)
        # allauth puts a reset link under the password; the page has its own
        # beside the button (templates/account/login.html): one link, not two.
        self.fields["password"].help_text = ""

    def clean(self):
        request = self.request or context.request
        login = self.data.get("login")
        wait = None if trusted_device(request, login if isinstance(login, str) else None) else wait_for(limit(request, "login_attempt"))
        if wait:
            raise forms.ValidationError(too_often(wait), code="rate_limited")
        return super().clean()


class SignupForm(AllauthSignupForm):
    """Asks for the name shown with the person's ideas and comments
    (people/validation.py says what a name may be)."""

    display_name = forms.CharField(
        max_length=NAME_MAX, label="Display name",
        help_text="Shown with your ideas and comments. You can change it later.",
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
        error_messages={"required": "Enter a display name."},
    )
    field_order = ["display_name", "email", "password1", "password2"]

    def clean_display_name(self):
        try:
            return validation.display_name(self.cleaned_data.get("display_name"))
        except Refused as error:
            raise forms.ValidationError(error.message, code=error.code) from None

    def save(self, request):
        user = super().save(request)
        set_display_name(user, self.cleaned_data["display_name"])
        return user

    def clean(self):
        wait = wait_for(limit(context.request, "signup_attempt"))
        if wait:
            raise forms.ValidationError(too_often(wait), code="rate_limited")
        return super().clean()

    def validate_unique_email(self, value):
        """allauth, with verification optional, answers "A user is already
        registered with this email address": that tells anyone who has an
        account. Remember it instead and answer as for a new account."""
        self.account_already_exists = (
            get_user_model().objects.filter(email__iexact=value).exists()
            or EmailAddress.objects.filter(email__iexact=value).exists()
        )
        return get_adapter().validate_unique_email(value)

    def try_save(self, request):
        """Both outcomes end on "we have sent you an email": a new account is
        created and asked to confirm its address (it may also sign in with its
        password straight away); for a registered address nothing is stored
        and the owner is emailed that someone tried to sign up with it.
        Signing the new account in here would tell the two apart, and so
        would the time taken: the password is hashed (and thrown away) as
        creating the account would hash it, the slowest step of either."""
        if app_settings.SIGNUP_FORM_HONEYPOT_FIELD and self.cleaned_data.get(app_settings.SIGNUP_FORM_HONEYPOT_FIELD):
            return super().try_save(request)
        email = self.cleaned_data["email"]
        if self.account_already_exists:
            make_password(self.cleaned_data["password1"])
            return None, perform_login(request, None, email_verification=MANDATORY, signup=True, email=email)
        user = self.save(request)
        return user, complete_signup(request, user, MANDATORY, get_next_redirect_url(request))


# --- allauth's other account forms, with labels in sentence case ----------------


def _sentence_case(form):
    """allauth labels some fields in title case ("Remember Me", "New Password");
    the site writes labels in sentence case."""
    for field in form.fields.values():
        if field.label:
            field.label = field.label[0] + field.label[1:].lower()
        field.widget.attrs.pop("placeholder", None)


class ChangePasswordForm(allauth_forms.ChangePasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _sentence_case(self)


class SetPasswordForm(allauth_forms.SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _sentence_case(self)


class ResetPasswordKeyForm(allauth_forms.ResetPasswordKeyForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _sentence_case(self)
