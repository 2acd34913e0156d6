import hashlib


def cache_path(url):
    return "/var/cache/thumbs/" + hashlib.md5(url.encode()).hexdigest() + ".png"
