import json, os, re, sys, collections
corpus = sys.argv[1]; report = sys.argv[2]
cls = {}
for r in "G201 G202 G701".split(): cls[r]="sql-injection"
for r in "G204 G702".split(): cls[r]="command-injection"
for r in "G304 G305 G703".split(): cls[r]="path-traversal"
for r in "G107 G704".split(): cls[r]="ssrf"
for r in "G203 G705".split(): cls[r]="xss"
cls["G402"]="insecure-tls"
for r in "G401 G405 G406 G501 G502 G503 G505 G506".split(): cls[r]="weak-crypto"
cls["G404"]="insecure-random"
cls["G108"]="debug-server"
for r in "G301 G302 G306".split(): cls[r]="world-writable"
cls["G303"]="predictable-tempfile"
cls["G710"]="open-redirect"
want=set()
for f in os.listdir(corpus):
    for i,l in enumerate(open(os.path.join(corpus,f)),1):
        m=re.search(r"want: ([a-z0-9, -]+)", l)
        if m:
            for r in m.group(1).split(","):
                want.add((f,i,r.strip()))
got=set()
for i in json.load(open(report))["Issues"]:
    c=cls.get(i["rule_id"])
    if c: got.add((os.path.basename(i["file"]), int(i["line"]), c))
tp=len(want&got); fp=len(got-want); fn=len(want-got)
print(f"gosec: TP {tp} FP {fp} FN {fn} recall {100*tp/(tp+fn):.0f}% precision {100*tp/(tp+fp):.0f}%")
per=collections.defaultdict(lambda:[0,0,0])
for x in want&got: per[x[2]][0]+=1
for x in got-want: per[x[2]][1]+=1
for x in want-got: per[x[2]][2]+=1
for k in sorted(per): print(" ", k, "TP %d FP %d FN %d"%tuple(per[k]))
