from fastapi import FastAPI
from sqlalchemy import text

api = FastAPI()


@api.get("/users/{user_id}")
def read_user(user_id: str):
    with engine.connect() as conn:
        row = conn.execute(text(f"SELECT * FROM users WHERE id = {user_id}")).first()  # want: sql-injection
    return dict(row)
