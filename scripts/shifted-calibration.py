#!/usr/bin/env python3
"""Calibration of `timestamp-shifted` (issue 16) on the tubegraph corpus and the 46 transcripts.

Usage: python3 scripts/shifted-calibration.py [--sample N] [--seed S] [--h-far H]
Reads the corpus named by WIKISTAMP_CORPUS (default ../shared/corpus/tubegraph beside the
repository) and the transcripts in ../../transcripts/3blue1brown from it. Mirrors the rule in
crates/wikistamp-analysis/src/rules/timestamp_shifted.rs; plain Python, no wikistamp.
"""
import argparse, collections, glob, os, random, re

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.environ.get('WIKISTAMP_CORPUS',
                        os.path.join(REPO, '..', 'shared', 'corpus', 'tubegraph'))
TRANSCRIPTS = os.path.join(CORPUS, '..', '..', 'transcripts', '3blue1brown')
CITATION = re.compile(r'<a class="yt-timestamp" data-t="(\d\d):(\d\d):(\d\d)">')

# The rule's constants (keep equal to timestamp_shifted.rs).
MIN_CITATIONS = 5      # a pattern needs at least this many citations to speak
H_FAR = 10             # whole-minute notes: hours no plausible video reaches
ECHO_SHARE = 0.8       # echo notes: share of citations written HH:MM:MM
OUTLIER_GAP = 3600     # outliers: at least an hour past the rest...
OUTLIER_RATIO = 4      # ...and at least four times the rest's latest time


def last_cue_end(path):
    last = 0.0
    text = open(path, encoding='utf-8-sig').read()
    for m in re.finditer(r'-->\s*(\d+):(\d+):(\d+)[,.](\d+)', text):
        h, mi, s, ms = map(int, m.groups())
        last = max(last, h * 3600 + mi * 60 + s + ms / 1000)
    return last


def past_end(c, length, marks=True):
    """Past `length`, its 00:HH:MM reading inside, and (with `marks`) marked as a shift:
    ending in :00, seconds repeating the minutes, or at least twice the length."""
    h, m, s = c
    t = h * 3600 + m * 60 + s
    marked = s == 0 or s == m or t >= 2 * length
    return t > length and h * 60 + m <= length and (marked or not marks)


def shifted_with_length(cits, length, marks=True):
    return [i for i, c in enumerate(cits) if past_end(c, length, marks)]


def shifted_without_length(cits):
    """(pattern, indices) the note's own citations make near-certain."""
    n = len(cits)
    if n < MIN_CITATIONS:
        return None, []
    t = [h * 3600 + m * 60 + s for h, m, s in cits]
    moved = [i for i, (h, m, s) in enumerate(cits) if (h, m) != (0, 0)]
    # 1. Whole-minute note: every citation ends in :00 and the hours go far past any video.
    if all(s == 0 for _, _, s in cits) and max(h for h, _, _ in cits) >= H_FAR:
        return 'whole-minute', moved
    # 2. Echo note: the seconds repeat the minutes (01:11:11), MM:SS padded by its own SS.
    echo = [i for i in moved if cits[i][2] == cits[i][1]]
    if sum(1 for i in echo if cits[i][1] != 0) >= MIN_CITATIONS and len(echo) >= ECHO_SHARE * n:
        return 'echo', echo
    # 3. Outliers: a :00 time far past all the others while its 00:HH:MM falls among them.
    rest = [i for i, (h, m, s) in enumerate(cits) if s != 0]
    if len(rest) < MIN_CITATIONS:
        return None, []
    latest = max(t[i] for i in rest)
    out = [i for i, (h, m, s) in enumerate(cits)
           if s == 0 and h >= 1 and t[i] >= latest + OUTLIER_GAP
           and t[i] >= OUTLIER_RATIO * latest and h * 60 + m <= latest]
    return ('outlier' if out else None), out


def notes():
    for path in sorted(glob.glob(CORPUS + '/**/*.md', recursive=True)):
        text = open(path, encoding='utf-8', errors='replace').read()
        vid = re.search(r'^videoId:\s*["\']?([\w-]+)', text, re.M)
        cits = [tuple(map(int, m.groups())) for m in CITATION.finditer(text)]
        yield path, text, (vid.group(1) if vid else None), cits


def main():
    global H_FAR
    ap = argparse.ArgumentParser()
    ap.add_argument('--sample', type=int, default=50)
    ap.add_argument('--seed', type=int, default=16)
    ap.add_argument('--h-far', type=int, default=10)
    args = ap.parse_args()
    H_FAR = args.h_far
    lengths = {os.path.basename(p).split('.')[0]: last_cue_end(p)
               for p in glob.glob(TRANSCRIPTS + '/*.srt')}

    # Ground truth: the notes of 3blue1brown/ whose video has a transcript.
    gt = collections.Counter()
    for path, text, vid, cits in notes():
        if '/3blue1brown/' not in path or vid not in lengths:
            continue
        L = lengths[vid]
        past = {i for i, (h, m, s) in enumerate(cits) if h * 3600 + m * 60 + s > L}
        gt['notes'] += 1
        gt['citations'] += len(cits)
        gt['past'] += len(past)
        gt['past notes'] += bool(past)
        with_len = set(shifted_with_length(cits, L))
        literal = set(shifted_with_length(cits, L, marks=False))
        gt['with length, literal rule (no marks): past found'] += len(literal & past)
        gt['with length: past found'] += len(with_len & past)
        gt['with length: in-range flagged'] += len(with_len - past)
        gt['with length: fix inside'] += sum(1 for i in with_len
                                             if cits[i][0] * 60 + cits[i][1] <= L)
        pattern, idx = shifted_without_length(cits)
        idx = set(idx)
        gt['without length: past found'] += len(idx & past)
        gt['without length: in-range flagged'] += len(idx - past)
        if past or idx:
            print(f'  {os.path.basename(path)}: length {L:.0f}s, {len(cits)} citations, '
                  f'{len(past)} past the end; with length {len(with_len & past)}; '
                  f'without: {pattern} {len(idx & past)} past + {len(idx - past)} in range')
    for k, v in gt.items():
        print(f'{k}: {v}')

    # Corpus, no length known (no note of the corpus has a `duration`).
    by_pattern = collections.Counter()
    notes_by_pattern = collections.Counter()
    findings = []
    for path, text, vid, cits in notes():
        pattern, idx = shifted_without_length(cits)
        if pattern:
            by_pattern[pattern] += len(idx)
            notes_by_pattern[pattern] += 1
            for i in idx:
                findings.append((path, cits, i, pattern))
    print(f'corpus findings (no length): {len(findings)} in {sum(notes_by_pattern.values())} notes')
    for p in by_pattern:
        print(f'  {p}: {by_pattern[p]} citations in {notes_by_pattern[p]} notes')
    # For the hand check: what the notes of the same video that the rule leaves alone, and
    # that cite mostly with seconds, say of its length (their latest citations).
    siblings = collections.defaultdict(list)
    for path, text, vid, cits in notes():
        pattern, _ = shifted_without_length(cits)
        if not pattern and cits and sum(s == 0 for _, _, s in cits) < 0.2 * len(cits):
            siblings[vid].append(max(h * 3600 + m * 60 + s for h, m, s in cits))
    random.seed(args.seed)
    print(f'random sample of {args.sample} findings (seed {args.seed}):')
    print('| # | note | pattern | citation | the note | same video, other notes: latest |')
    print('|---|---|---|---|---|---|')
    for n, (path, cits, i, pattern) in enumerate(
            random.sample(findings, min(args.sample, len(findings))), 1):
        h, m, s = cits[i]
        hi = max(cits)
        vid = re.search(r'^videoId:\s*["\']?([\w-]+)', open(path).read(), re.M)
        sib = ', '.join('%d:%02d:%02d' % (x // 3600, x // 60 % 60, x % 60)
                        for x in sorted(siblings.get(vid.group(1) if vid else None, []))[-3:])
        print(f'| {n} | {path[len(CORPUS) + 1:]} | {pattern} | `{h:02}:{m:02}:{s:02}` → '
              f'`00:{h:02}:{m:02}` | {len(cits)} cit., max `{hi[0]:02}:{hi[1]:02}:{hi[2]:02}` '
              f'| {sib or "—"} |')

if __name__ == '__main__':
    main()
