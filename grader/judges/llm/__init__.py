"""The LLM judge over any OpenAI-compatible endpoint (or Azure, Bedrock).

  schema.py     the reply model (the contract) and the judge's errors
  prompt.py     evidence blocks and messages from prompts/*.md, partner text fenced
  mapping.py    the model's judgement -> criterion verdicts, quotes verified
  providers.py  chat models, retries, the on-disk cache
  cost.py       list prices (prices.yaml)
  judge.py      LLMJudge: one call per control, put together
"""

from grader.judges.llm.judge import LLMJudge
from grader.judges.llm.schema import LLMCallError, LLMJudgement, SchemaError

__all__ = ["LLMJudge", "LLMCallError", "LLMJudgement", "SchemaError"]
