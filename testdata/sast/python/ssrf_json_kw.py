import requests
from flask import request


@app.post("/webhooks/test")
def test_webhook():
    body = request.get_json()
    resp = requests.post(url=body["target"], json={"ping": True}, timeout=5)  # want: ssrf
    return {"status": resp.status_code}
