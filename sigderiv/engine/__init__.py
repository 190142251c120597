"""The engine: strategies, derive, verification and numeric evaluation."""
