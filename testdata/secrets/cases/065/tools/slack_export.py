import requests

SLACK_USER_TOKEN = "xoxp-552474804137-315490459603-6825480334992-ea3cdd787cf5bb844c82d444a92f0c50"

def export(channel):
    return requests.get("https://slack.com/api/conversations.history", params={"channel": channel}, headers={"Authorization": f"Bearer {SLACK_USER_TOKEN}"})
