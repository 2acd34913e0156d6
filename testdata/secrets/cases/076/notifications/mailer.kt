package notifications

const val SENDGRID_KEY = "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"
