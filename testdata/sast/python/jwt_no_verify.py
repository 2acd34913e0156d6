import jwt
from flask import request


def current_user():
    token = request.headers["Authorization"].split()[1]
    payload = jwt.decode(token, algorithms=["none", "HS256"], options={"verify_signature": False})  # want: jwt-unverified
    return payload["sub"]
