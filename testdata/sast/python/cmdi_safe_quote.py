import shlex
import subprocess
from flask import request


@app.route("/grep")
def grep():
    pattern = shlex.quote(request.args["p"])
    out = subprocess.check_output("grep -rn " + pattern + " /srv/docs", shell=True)
    return out
