"""Speed of the pipeline, as ratios against floors measured in the same run (`make bench`).

Seconds mean little on a shared 2-core machine; a ratio to a floor measured a moment
before, on the same input and the same machine, says whether our code adds more than it
should. Each benchmark prints its ratio and the ceiling it must stay under; the run
exits 1 if any ratio is over its ceiling. Benchmarks are never part of `make test`.
"""
