from flask import request


@app.route("/echo")
def echo():
    name = request.args.get("name", "guest")
    return {"message": f"hello {name}"}
