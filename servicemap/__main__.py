import sys

from servicemap.cli import main

sys.exit(main())
