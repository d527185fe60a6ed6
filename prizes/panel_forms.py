"""The panel's forms: the team appoints an assessor by email address or
username; an assessor declares a conflict with an organisation or a person,
each typed (a select of every organisation would be too long). The forms
find the account or organisation meant and say clearly when there is none,
or more than one; the services (prizes/services/panel.py) decide the rest."""

from django import forms

from . import selectors

TEXT_MAX = 254


def _is_email(text):
    return "@" in text


class AppointForm(forms.Form):
    account = forms.CharField(
        label="Email address or username", max_length=TEXT_MAX,
        help_text="They need an account on this site: the one they sign in with.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"required": "Enter the email address or username of the person to appoint."},
    )
    chair = forms.BooleanField(label="Make chair", required=False)

    def clean_account(self):
        text = self.cleaned_data["account"].strip()
        found = selectors.accounts_matching(text)
        if not found:
            if _is_email(text):
                raise forms.ValidationError("No account with that email address: ask them to sign up first.")
            raise forms.ValidationError("No account with that username: ask them to sign up first.")
        if len(found) > 1:
            raise forms.ValidationError("More than one account matches: enter their email address exactly.")
        self.user = found[0]
        return text


class ConflictForm(forms.Form):
    organisation = forms.CharField(
        label="An organisation", required=False, max_length=TEXT_MAX,
        help_text="Its name as registered here, for example a company you work for, advise or own shares in.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    person = forms.CharField(
        label="Or a person", required=False, max_length=TEXT_MAX,
        help_text="Their name on this site, username or email address, for example a relative, "
                  "a close colleague or a business partner.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean(self):
        data = super().clean()
        organisation, person = (data.get("organisation") or "").strip(), (data.get("person") or "").strip()
        self.found_organisation = self.found_person = None
        if self.errors:
            return data
        if not organisation and not person:
            self.add_error("organisation", "Enter the organisation or the person you have a conflict with.")
        elif organisation and person:
            self.add_error("organisation", "Enter an organisation or a person, not both: declare each on its own.")
        elif organisation:
            found = selectors.organisations_matching(organisation)
            if not found:
                self.add_error("organisation", "No organisation with that name is registered here: check how its "
                                               "page spells it.")
            elif len(found) > 1:
                self.add_error("organisation", "More than one organisation has that name: enter the last part of "
                                               "its page's address instead.")
            else:
                self.found_organisation = found[0]
        else:
            found = selectors.people_matching(person)
            if not found:
                self.add_error("person", "No one with that name, username or email address has an account here.")
            elif len(found) > 1:
                self.add_error("person", "More than one person has that name: enter their username or email "
                                         "address instead.")
            else:
                self.found_person = found[0]
        return data
