import os
os.environ["LANGCHAIN_API_KEY"] = "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"
