import os
from flask import request


@app.post("/upload")
def upload():
    f = request.files["doc"]
    f.save(os.path.join("/srv/uploads", f.filename))  # want: path-traversal
    return "ok"
