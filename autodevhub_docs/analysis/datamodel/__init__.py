"""Data-model adapters, one module per ORM or schema source; each module lists its adapters in `ADAPTERS`."""
