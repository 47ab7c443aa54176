"""`python -m comparator` is the same program as the `dtrc` console script."""
from .cli import main

main()
