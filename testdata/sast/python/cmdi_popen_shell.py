import subprocess
from flask import request


@app.post("/thumb")
def thumb():
    name = request.form["name"]
    proc = subprocess.Popen(f"convert uploads/{name} -resize 64x64 thumbs/{name}", shell=True)  # want: command-injection
    proc.wait()
    return "ok"
