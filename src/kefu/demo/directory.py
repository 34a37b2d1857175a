"""Demo directory data (customers, vendors, products, code tables). Filled by the directory app."""


def load() -> None:
    return None
