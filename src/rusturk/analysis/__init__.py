"""Pure computation on a loaded dataset: window, index, phases, escalation, findings."""
