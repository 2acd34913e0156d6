from flask import request


@app.route("/filter")
def filter_items():
    cond = request.args.get("where", "True")
    items = [i for i in ITEMS if eval(cond, {"i": i})]  # want: code-injection
    return {"items": items}
