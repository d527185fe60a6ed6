"""The stage editor in the admin: a stage with its criteria, questions and
awards, nested as the team thinks of them (prizes/stages.py reads them)."""

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError


class CriterionBlock(blocks.StructBlock):
    name = blocks.CharBlock(max_length=120)
    meaning = blocks.TextBlock(help_text="What assessors look for, as applicants will read it.")
    weight = blocks.IntegerBlock(min_value=1, max_value=100, default=1,
                                 help_text="Its share of the stage's score is its weight over all the weights.")
    low = blocks.IntegerBlock(label="Lowest score", default=0, min_value=0, max_value=100)
    high = blocks.IntegerBlock(label="Highest score", default=10, min_value=1, max_value=100)

    def clean(self, value):
        value = super().clean(value)
        if value["high"] <= value["low"]:
            raise StructBlockValidationError({"high": ValidationError("Must be above the lowest score.")})
        return value


class QuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(max_length=300)
    guidance = blocks.TextBlock(required=False)
    word_limit = blocks.IntegerBlock(min_value=1, max_value=5000, default=500)


class StageBlock(blocks.StructBlock):
    name = blocks.CharBlock(max_length=80, help_text="For example Open, Shortlist, Develop, Final, Awarded.")
    opens = blocks.DateTimeBlock()
    closes = blocks.DateTimeBlock()
    awards = blocks.CharBlock(max_length=300, required=False,
                              help_text="What this stage awards, e.g. “Up to 10 discovery awards of £25,000”.")
    threshold = blocks.IntegerBlock(required=False, min_value=0, max_value=100,
                                    help_text="Quality threshold: the least score, in per cent of the maximum, to go on.")
    assessors = blocks.IntegerBlock(default=3, min_value=1, max_value=10, help_text="Assessors per application.")
    criteria = blocks.ListBlock(CriterionBlock(), min_num=0)
    questions = blocks.ListBlock(QuestionBlock(), min_num=0)

    def clean(self, value):
        value = super().clean(value)
        if value["opens"] and value["closes"] and value["closes"] <= value["opens"]:
            raise StructBlockValidationError({"closes": ValidationError("Must be after the stage opens.")})
        return value
