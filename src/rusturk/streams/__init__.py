"""Machine-coded event streams (GDELT, ICEWS): the SQL, written once, and the DuckDB reader."""
