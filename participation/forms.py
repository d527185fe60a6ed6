from decimal import Decimal

from django import forms

from people.choices import OrganisationSize, Region

CHOICES = {"size": OrganisationSize.choices, "region": Region.choices}
TOLERANCE = Decimal("0.5")


class ReferenceForm(forms.Form):
    """One share per category of a dimension, adding up to 100%."""

    against = forms.CharField(max_length=120, label="Who the shares describe",
                              help_text="For example: businesses in the North East",
                              error_messages={"required": "Say who the shares describe."})
    source = forms.CharField(max_length=255, required=False, label="Source (optional)")

    def __init__(self, *args, dimension, **kwargs):
        super().__init__(*args, **kwargs)
        self.dimension = dimension
        for key, label in CHOICES[dimension]:
            self.fields[f"share_{key}"] = forms.DecimalField(
                label=f"{label} (%)", min_value=0, max_value=100, max_digits=5, decimal_places=2,
                error_messages={"required": f"Enter a share for {label}, or 0.",
                                "invalid": f"Enter the share for {label} as a number, like 12.5.",
                                "min_value": f"The share for {label} cannot be negative.",
                                # Django formats this message with the limit (message % params): "%%" is a "%".
                                "max_value": f"The share for {label} cannot be more than 100%%.",
                                "max_digits": f"The share for {label} cannot be more than 100%%.",
                                "max_whole_digits": f"The share for {label} cannot be more than 100%%.",
                                "max_decimal_places": f"Give the share for {label} to at most 2 decimal places."},
            )

    def shares(self):
        return {key: self.cleaned_data[f"share_{key}"] for key, _ in CHOICES[self.dimension]}

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            total = sum(self.shares().values())
            if abs(total - 100) > TOLERANCE:
                raise forms.ValidationError(f"The shares must add up to 100% (they add up to {total.normalize():f}%).")
        return cleaned
