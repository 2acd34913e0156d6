import json


def save_state(state):
    with open("/tmp/worker-state.json", "w") as f:  # want: predictable-tempfile
        json.dump(state, f)
