import subprocess
from flask import request


@app.post("/thumb")
def thumb():
    name = request.form["name"]
    subprocess.run(["convert", f"uploads/{name}", "-resize", "64x64", f"thumbs/{name}"], check=True)
    subprocess.run("make clean", shell=True)
    return "ok"
