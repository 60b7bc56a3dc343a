"""`python -m quotewire` runs the command line, as the `quotewire` script does."""
from .cli import main

main()
