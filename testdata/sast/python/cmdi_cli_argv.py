import subprocess
import sys

target = sys.argv[1]
subprocess.check_output("nslookup " + target, shell=True)  # want: command-injection
