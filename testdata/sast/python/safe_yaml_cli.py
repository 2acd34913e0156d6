import sys
import yaml


def main():
    with open(sys.argv[1]) as f:
        cfg = yaml.safe_load(f)
    print(cfg["name"])
