from flask import request


@bp.route("/page")
def page():
    n = int(request.args.get("n", "1"))
    cursor.execute(f"SELECT * FROM posts ORDER BY id LIMIT 20 OFFSET {n * 20}")
    return {"rows": cursor.fetchall()}
