from flask import redirect, request, url_for


def is_safe_url(target):
    return target.startswith("/") and not target.startswith("//")


@app.route("/login", methods=["POST"])
def login():
    nxt = request.args.get("next", "")
    if not is_safe_url(nxt):
        nxt = url_for("index")
    return redirect(nxt)
