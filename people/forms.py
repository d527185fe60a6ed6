"""Forms mirror the services' limits so browsers and screen readers get them
up front; the services check again for every other caller."""

from django import forms

from .choices import NumberKind, OrganisationSize, OrganisationType, Region
from .validation import EMAIL_MAX, NAME_MAX, ORG_NAME_MAX


class DisplayNameForm(forms.Form):
    display_name = forms.CharField(
        max_length=NAME_MAX, label="Display name",
        help_text="Shown with your ideas and comments. Use your name, or a name people will recognise. "
        "Do not include a web or email address.",
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
        error_messages={"required": "Enter a display name."},
    )


class OrganisationForm(forms.Form):
    name = forms.CharField(max_length=ORG_NAME_MAX, label="Organisation name",
                           widget=forms.TextInput(attrs={"autocomplete": "organization"}),
                           error_messages={"required": "Enter the organisation's name."})
    type = forms.ChoiceField(label="Type of organisation", choices=[("", "Choose a type")] + OrganisationType.choices,
                             error_messages={"required": "Select the organisation's type."})
    size = forms.ChoiceField(label="Size", choices=[("", "Choose a size")] + OrganisationSize.choices,
                             help_text="By number of employees, as Companies House and the ONS count them.",
                             error_messages={"required": "Select the organisation's size."})
    region = forms.ChoiceField(label="Where it is based", choices=[("", "Choose a nation or region")] + Region.choices,
                               help_text="Where most of its work happens, or its head office.",
                               error_messages={"required": "Select the organisation's region."})
    number_kind = forms.ChoiceField(
        required=False, label="Registered number (optional)",
        choices=[("", "No registered number")] + NumberKind.choices,
        help_text="A site admin checks the number against the register; until then it is shown as unverified.",
    )
    registered_number = forms.CharField(required=False, max_length=12, label="Number",
                                        help_text="For example 01234567, SC123456 or 1123456.")


class InvitationForm(forms.Form):
    email = forms.CharField(max_length=EMAIL_MAX, label="Email address of the person to invite",
                            widget=forms.EmailInput(attrs={"autocomplete": "off"}),
                            help_text="We email them a link to join. It works once, for 14 days.",
                            error_messages={"required": "Enter an email address."})


class ResetNameForm(forms.Form):
    reason = forms.CharField(max_length=255, label="Why is this name being reset?",
                             error_messages={"required": "Say why the name is being reset."})


class DeleteAccountForm(forms.Form):
    contributions = forms.ChoiceField(
        label="What should happen to your published ideas and comments?",
        choices=[
            ("keep", "Keep them, shown as by “Deleted account”"),
            ("remove", "Remove them too"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what should happen to your ideas and comments."},
    )
    confirm = forms.BooleanField(
        label="I understand that my account and my personal data will be deleted, and that this cannot be undone",
        error_messages={"required": "Confirm that you want to delete your account."},
    )
