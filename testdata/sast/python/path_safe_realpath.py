import os
from flask import request, abort

BASE = "/srv/reports"


@app.route("/report")
def report():
    path = os.path.realpath(os.path.join(BASE, request.args["file"]))
    if not path.startswith(BASE + os.sep):
        abort(400)
    with open(path) as f:
        return f.read()
