from backend.ai.agent import run

__all__ = ["run"]
