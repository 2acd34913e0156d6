from flask import request


@bp.route("/audit")
def audit():
    actor = request.args["actor"]
    cursor.execute("SELECT * FROM audit WHERE actor = %s", (actor,))
    cursor.execute("SELECT * FROM audit WHERE actor = %(a)s", {"a": actor})
    return {"rows": cursor.fetchall()}
