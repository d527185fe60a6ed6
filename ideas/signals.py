"""What ideas announces to the apps above it, which it may not import."""

from django.dispatch import Signal

# An idea or comment went to the moderation queue by automatic screening
# (a blocked term, a new account's link). Sent inside the write's
# transaction with item=, mission= and why= (the reason in words).
held_automatically = Signal()
