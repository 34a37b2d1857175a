"""Directory tables (D4, D5, D7–D17 and products for F13). See docs/directory.md."""

from kefu.directory.models.assets import Equipment, Module, Product, Project
from kefu.directory.models.base import CodedRecord, CodeTable, ContactBase
from kefu.directory.models.codes import (
    CODE_TABLES,
    ChangeClass,
    CustomerClass,
    ExecutionStatus,
    FaultCause,
    FaultClass,
    HandlingMethod,
    Phenomenon,
)
from kefu.directory.models.parties import CustomerContact, CustomerUnit, Vendor, VendorContact

__all__ = [
    "CODE_TABLES",
    "ChangeClass",
    "CodeTable",
    "CodedRecord",
    "ContactBase",
    "CustomerClass",
    "CustomerContact",
    "CustomerUnit",
    "Equipment",
    "ExecutionStatus",
    "FaultCause",
    "FaultClass",
    "HandlingMethod",
    "Module",
    "Phenomenon",
    "Product",
    "Project",
    "Vendor",
    "VendorContact",
]
