#!/bin/sh
# Two coders, one git repository: the worked example of docs/teams.md.
set -e
R=${READER:-reader}
A=netflix-ai-job-picket-line
export GIT_AUTHOR_NAME=team GIT_AUTHOR_EMAIL=team@example.org
export GIT_COMMITTER_NAME=team GIT_COMMITTER_EMAIL=team@example.org
$R -w project samples >/dev/null 2>&1
$R -w project init-git >/dev/null
git -C project add -A && git -C project commit -qm "the corpus"
git clone -q --bare project shared.git
for who in ana ben; do git clone -q shared.git $who && $R -w $who init-git >/dev/null; done

code() {  # code WHO "quote:tag" ...
  who=$1; shift
  for q in "$@"; do $R --coder $who -w $who annotate $A --quote "${q%%:*}" --tag "${q##*:}" >/dev/null; done
}
code ana "willing to pay as much as \$900,000 a year:pay" "starts at \$300,000:pay" \
  "artificial intelligence sits near the top of the list of unresolved issues:AI" \
  "scanning background performers, paying them for a single day of work:AI/likeness" \
  "roughly 87 percent of its members do not earn the \$26,470 a year:pay/health" \
  "the argument over AI in Hollywood is also an argument over who gets paid for it:AI"
code ben "as much as \$900,000 a year:pay" "artificial intelligence sits near the top:AI" \
  "studios had proposed scanning background performers:AI/likeness" \
  "87 percent of its members do not earn the \$26,470 a year from union work:pay/health" \
  "The top of the Netflix range is about 34 times that figure:pay" \
  "a reminder that the argument over AI in Hollywood:AI"

git -C ana add -A && git -C ana commit -qm "ana codes the Netflix story" && git -C ana push -q
git -C ben add -A && git -C ben commit -qm "ben codes the Netflix story"
git -C ben pull --no-rebase --no-edit   # the merge driver merges the highlights by id
git -C ben push -q
grep -rl '<<<<<<<' ben/annotations || echo "no conflict markers"
$R -w ben agree --coder ana --coder ben
