import base64
import pickle
from flask import request


@app.before_request
def load_prefs():
    raw = request.cookies.get("prefs")
    if raw:
        g.prefs = pickle.loads(base64.b64decode(raw))  # want: unsafe-deserialization
