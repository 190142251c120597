"""The bounded worker: running a call in a forked process, bounded in time and memory."""
