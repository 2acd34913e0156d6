from pathlib import Path
from flask import request


@app.route("/notes/<note>")
def note(note):
    return Path("/srv/notes", note).read_text()  # want: path-traversal
