"""Benchmarks and their data, outside the runtime package: `make bench` runs `python -m bench` from the
repository root and writes docs/benchmarks.md. `runner` measures each figure in a fresh database in its own
process; `stats_data`, `matching_data` and `roster_data` generate the data; `roster_floor` is the roster
import's floor (openpyxl reading the file alone); `load` is the Locust load test.
Nothing in `src/yanzhen` imports this package."""
