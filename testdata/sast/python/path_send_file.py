from flask import request, send_file


@app.route("/report")
def report():
    name = request.args["file"]
    return send_file("/srv/reports/" + name)  # want: path-traversal
