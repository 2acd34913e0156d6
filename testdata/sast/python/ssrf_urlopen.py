from urllib.request import urlopen
from flask import request


@app.route("/fetch")
def fetch():
    resp = urlopen(request.args["u"], timeout=3)  # want: ssrf
    return resp.read()
