"""Volume fuzzing of the first stages (read, parse, validate, format): `make fuzz` runs the
campaign (``python -m tests.fuzz.campaign N``); `make test` runs a bounded, seeded sample."""
