from flask import request


@app.post("/plugins/run")
def run_plugin():
    code = request.get_json()["code"]
    scope = {}
    exec(code, scope)  # want: code-injection
    return {"result": scope.get("result")}
