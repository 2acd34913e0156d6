from flask import request


@app.route("/welcome")
def welcome():
    name = request.args.get("name", "guest")
    return f"<html><body><h1>Welcome {name}</h1></body></html>"  # want: xss
