package com.acme.alerts;

public final class SlackNotifier {
    private static final String WEBHOOK = "https://hooks.slack.com/services/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";

    public void send(String text) {
        Http.post(WEBHOOK, "{\"text\": \"" + text + "\"}");
    }
}
