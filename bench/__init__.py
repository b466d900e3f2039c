"""Performance benchmark and load test of the back office (see bench/run.py, bench/load.py)."""
