"""The build: plan and manifest, parameters, execution, export, briefing, PDF, site."""
