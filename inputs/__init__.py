"""Reading what people type into addresses and forms, where every app needs
the same answer: the bottom layer of the app graph (docs/architecture.md),
so each rule is written once and any app may ask it."""
