import sqlite3
from flask import request


@app.post("/admin/migrate")
def migrate():
    script = request.form["sql"]
    conn = sqlite3.connect("app.db")
    conn.executescript(script)  # want: sql-injection
    return "done"
