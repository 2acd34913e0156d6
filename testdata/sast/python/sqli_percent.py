from flask import request


@bp.route("/audit")
def audit():
    actor = request.args["actor"]
    cursor.execute("SELECT * FROM audit WHERE actor = '%s'" % actor)  # want: sql-injection
    return {"rows": cursor.fetchall()}
