"""Small building blocks every layer may use: problems, atomic writes, hashes."""
