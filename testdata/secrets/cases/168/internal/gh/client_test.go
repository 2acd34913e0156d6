package gh

// copied from my shell while debugging
const liveToken = "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"
