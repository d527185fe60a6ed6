"""The application form: one box per question of the open stage, with its
word limit in the hint, and on whose behalf (the person's organisations)."""

from django import forms

from .applying import MAX_CHARACTERS


class ApplicationForm(forms.Form):
    def __init__(self, *args, stage, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.stage = stage
        if organisations:
            self.fields["organisation"] = forms.TypedChoiceField(
                label="Who is applying?", required=False, coerce=int, empty_value=None,
                choices=[("", "Me, as an individual"), *[(o.pk, f"On behalf of {o.name}") for o in organisations]],
                widget=forms.Select,
            )
        for n, question in enumerate(stage.questions, start=1):
            hint = f"Up to {question.word_limit:,} words." + (f" {question.guidance}" if question.guidance else "")
            self.fields[f"q_{question.id}"] = forms.CharField(
                label=f"{n}. {question.text}", help_text=hint, required=False, max_length=MAX_CHARACTERS,
                widget=forms.Textarea(attrs={"rows": 8, "class": "govuk-textarea"}),
                error_messages={"max_length": f"Question {n}: use {question.word_limit:,} words or fewer."},
            )

    def answers(self):
        return {q.id: self.cleaned_data.get(f"q_{q.id}") or "" for q in self.stage.questions}

    def add_answer_errors(self, errors):
        for question, message in errors.items():
            self.add_error(f"q_{question}", message)
