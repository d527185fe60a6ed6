from django import forms

from .models import Delivery, Kind


class SettingsForm(forms.Form):
    """One radio group per kind offered to the person (notifications/kinds.py):
    how we tell them about it."""

    def __init__(self, *args, initial_deliveries=None, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in Kind if kinds is None else kinds:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label, choices=Delivery.choices, widget=forms.RadioSelect,
                initial=(initial_deliveries or {}).get(kind.value),
                error_messages={"required": f"Choose how we tell you about “{kind.label.lower()}”.",
                                "invalid_choice": f"Choose how we tell you about “{kind.label.lower()}”."},
            )
