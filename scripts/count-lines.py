#!/usr/bin/env python3
# Non-test lines of Rust code under crates/*/src: no blank or comment lines, nothing from a
# file's first `#[cfg(test)]` on, no tests.rs. Usage: scripts/count-lines.py [REPO]
import os,sys
tot=0
base=sys.argv[1] if len(sys.argv) > 1 else "."
for root,_,fs in os.walk(os.path.join(base,'crates')):
    for f in fs:
        p=os.path.join(root,f)
        if not f.endswith('.rs') or '/src/' not in p: continue
        if f in ('tests.rs','test_corpus.rs') or '/tests/' in p: continue
        n=0
        for line in open(p):
            s=line.strip()
            if s.startswith('#[cfg(test)]'): break
            if not s or s.startswith('//'): continue
            n+=1
        tot+=n
print(tot)
