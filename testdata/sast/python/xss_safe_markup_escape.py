from markupsafe import Markup, escape
from flask import request


@app.route("/badge")
def badge():
    user = request.args.get("user", "")
    return Markup(f"<span class='badge'>{escape(user)}</span>")
