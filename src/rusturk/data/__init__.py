"""The data layer: schema, reading, validation, typed loading, dictionary, snapshots."""
