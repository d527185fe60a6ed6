"""The writes of consultations (check → write in one transaction → side effects on commit)."""
