"""The agent workflow (``workflow: agent``): an LLM tool-calling loop (``workflow``) over
the job tools it may call (``tools``)."""
