"""HTTP endpoint adapters, one module per framework family; each module lists its adapters in `ADAPTERS`."""
