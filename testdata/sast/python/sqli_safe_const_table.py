TABLES = ("users", "orders")


def count_all(cursor):
    for table in TABLES:
        cursor.execute(f"SELECT count(*) FROM {table}")
        print(table, cursor.fetchone())
