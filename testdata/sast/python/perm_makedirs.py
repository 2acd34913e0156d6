import os


def ensure_upload_dir(path):
    os.makedirs(path, mode=0o777, exist_ok=True)  # want: world-writable
