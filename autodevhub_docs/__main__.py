# Allows `python -m autodevhub_docs`.
from autodevhub_docs.cli import main

if __name__ == "__main__":
    main()
