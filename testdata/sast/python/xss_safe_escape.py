import html
from flask import request, make_response


@app.route("/search")
def search():
    q = html.escape(request.args.get("q", ""))
    return make_response(f"<h2>Results for {q}</h2>")
