COLUMNS = ["id", "name", "email"]


def export(cur, user_id):
    cur.execute("SELECT {} FROM users WHERE id = %s".format(", ".join(COLUMNS)), (user_id,))
    return cur.fetchall()
