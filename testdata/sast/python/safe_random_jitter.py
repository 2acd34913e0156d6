import random
import time


def retry(fn, attempts=5):
    for i in range(attempts):
        try:
            return fn()
        except IOError:
            time.sleep(2 ** i + random.random())
