"""The question builder in the admin: sections and questions in the order
respondents meet them (consultations/questions.py reads and checks them)."""

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from consult.models import LearningQuestion

from .questions import KIND_CHOICES, KINDS_WITH_OPTIONS


def learning_question_choices():
    """Every mission's learning questions, named with their mission; the
    page's clean() keeps a question to its own mission's."""
    return [("", "None")] + [(str(q.pk), f"{q.page.title}: {q.question}"[:200])
                             for q in LearningQuestion.objects.select_related("page").order_by("page__title", "sort_order")]


class SectionBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=150)
    intro = blocks.TextBlock(required=False, help_text="What this section is about, shown before its first question.")

    class Meta:
        icon = "title"


class QuestionBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=300, label="Question")
    hint = blocks.TextBlock(required=False, help_text="Help shown under the question.")
    kind = blocks.ChoiceBlock(choices=KIND_CHOICES, default="free_text", label="Type")
    required = blocks.BooleanBlock(required=False, default=True, help_text="Respondents must answer it.")
    options = blocks.ListBlock(blocks.CharBlock(max_length=200), required=False, default=[],
                               help_text="The choices (single, multiple choice and ranking questions).")
    word_limit = blocks.IntegerBlock(min_value=1, max_value=5000, default=300,
                                     help_text="For free text, and for the “why” of a yes/no question.")
    minimum = blocks.IntegerBlock(required=False, help_text="Number questions: the least accepted.")
    maximum = blocks.IntegerBlock(required=False, help_text="Number questions: the most accepted.")
    learning_question = blocks.ChoiceBlock(choices=learning_question_choices, required=False,
                                           help_text="The mission's learning question this answers, if any.")
    only_if_question = blocks.IntegerBlock(required=False, min_value=1, label="Ask only if question number…",
                                           help_text="Routing: the number of an earlier question.")
    only_if_answer = blocks.CharBlock(required=False, max_length=200, label="…was answered",
                                      help_text="The answer (an option's words, or yes/no) that leads here.")

    class Meta:
        icon = "help"

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        options = [o for o in value.get("options") or [] if o.strip()]
        if value["kind"] in KINDS_WITH_OPTIONS and len(options) < 2:
            errors["options"] = ValidationError("Give at least two choices.")
        if len({o.strip().casefold() for o in options}) != len(options):
            errors["options"] = ValidationError("Each choice must be different.")
        if (value.get("minimum") is not None and value.get("maximum") is not None
                and value["maximum"] < value["minimum"]):
            errors["maximum"] = ValidationError("Must be at least the least accepted.")
        if bool(value.get("only_if_question")) != bool((value.get("only_if_answer") or "").strip()):
            errors["only_if_answer"] = ValidationError("Give both the question's number and the answer, or neither.")
        if errors:
            raise StructBlockValidationError(errors)
        return value
