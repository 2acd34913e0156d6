import OpenAI from "openai";

export const openai = new OpenAI({
  apiKey: "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",
  organization: "org-acme",
});
