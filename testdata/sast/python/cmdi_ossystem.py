import os
from flask import request


@app.route("/ping")
def ping():
    host = request.args.get("host")
    os.system("ping -c 1 " + host)  # want: command-injection
    return "sent"
