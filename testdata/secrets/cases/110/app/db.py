def dsn(user, password, host):
    return f"postgresql://{user}:{password}@{host}/app"
