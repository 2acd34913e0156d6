import random


def sample_rows(rows, n=100):
    return random.sample(rows, min(n, len(rows)))
