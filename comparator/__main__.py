"""`python -m comparator` is the same program as the `dtrc` console script."""
from .entry import main

main()
