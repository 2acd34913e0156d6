import hashlib


def check_login(user, password):
    return user.password_hash == hashlib.md5(password.encode("utf-8")).hexdigest()  # want: weak-crypto
