import requests
from urllib.parse import urlparse
from flask import request, abort

ALLOWED_HOSTS = {"images.example.com", "cdn.example.com"}


@app.route("/proxy")
def proxy():
    url = request.args["url"]
    host = urlparse(url).hostname
    if host not in ALLOWED_HOSTS:
        abort(400)
    return requests.get("https://images.example.com/" + urlparse(url).path, timeout=5).content
